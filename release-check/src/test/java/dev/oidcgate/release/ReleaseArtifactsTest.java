package dev.oidcgate.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Maven Central requires of each released module, read from what {@code mvn -P release verify}
 * built: the jar, a sources jar and a Javadoc jar beside it, and a POM whose effective model (its
 * own elements, else the parent's) has name, description, url, licence, SCM and developers. The
 * jars are reproducible: every entry carries {@code project.build.outputTimestamp}.
 */
class ReleaseArtifactsTest {

  private static final Path ROOT = Path.of(System.getProperty("release.root")).normalize();
  private static final String VERSION = System.getProperty("release.version");
  private static final Instant TIMESTAMP =
      Instant.parse(System.getProperty("release.outputTimestamp"));

  /** directory:artifactId of every released module that ships a jar. */
  private static final List<String> JAR_MODULES =
      List.of(
          "settings:oidc-gate-settings",
          "oidc-filter:oidc-filter",
          "proxy-servlet:proxy-servlet",
          "doctor:oidc-gate-doctor");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "settings:oidc-gate-settings",
        "oidc-filter:oidc-filter",
        "proxy-servlet:proxy-servlet",
        "doctor:oidc-gate-doctor"
      })
  void eachReleasedModuleHasJarSourcesJavadocAndPom(String module) throws Exception {
    String dir = module.split(":")[0];
    String artifactId = module.split(":")[1];
    Path target = ROOT.resolve(dir).resolve("target");
    Path jar = target.resolve(artifactId + "-" + VERSION + ".jar");
    Path sources = target.resolve(artifactId + "-" + VERSION + "-sources.jar");
    Path javadoc = target.resolve(artifactId + "-" + VERSION + "-javadoc.jar");

    assertThat(entries(jar))
        .as("classes and the POM in %s", jar.getFileName())
        .anyMatch(n -> n.endsWith(".class"))
        .contains("META-INF/maven/dev.oidcgate/" + artifactId + "/pom.xml");
    assertThat(entries(sources))
        .as("sources in %s", sources.getFileName())
        .anyMatch(n -> n.endsWith(".java"));
    assertThat(entries(javadoc))
        .as("Javadoc in %s", javadoc.getFileName())
        .contains("index.html")
        .anyMatch(n -> n.startsWith("dev/oidcgate/") && n.endsWith(".html"));

    Document pom = parse(ROOT.resolve(dir).resolve("pom.xml"));
    assertThat(text(pom.getDocumentElement(), "artifactId")).isEqualTo(artifactId);
    assertRequiredMetadata(pom, parse(ROOT.resolve("pom.xml")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "settings:oidc-gate-settings",
        "oidc-filter:oidc-filter",
        "proxy-servlet:proxy-servlet",
        "doctor:oidc-gate-doctor"
      })
  void jarsAreReproducibleEveryEntryCarriesTheOutputTimestamp(String module) throws Exception {
    String dir = module.split(":")[0];
    String artifactId = module.split(":")[1];
    Path target = ROOT.resolve(dir).resolve("target");
    for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
      Path file = target.resolve(artifactId + "-" + VERSION + suffix);
      Set<Instant> times = new HashSet<>();
      try (ZipFile zip = new ZipFile(file.toFile())) {
        for (ZipEntry e : Collections.list(zip.entries())) {
          times.add(e.getLastModifiedTime().toInstant());
        }
      }
      assertThat(times).as("entry times in %s", file.getFileName()).containsExactly(TIMESTAMP);
    }
  }

  @Test
  void parentPomHasTheRequiredMetadata() throws Exception {
    Document parent = parse(ROOT.resolve("pom.xml"));
    assertRequiredMetadata(parent, parent);
    assertThat(text(parent.getDocumentElement(), "version")).isEqualTo(VERSION);
  }

  @Test
  void bomManagesExactlyTheReleasedArtifactsAtTheParentsVersion() throws Exception {
    Document bom = parse(ROOT.resolve("bom/pom.xml"));
    Element project = bom.getDocumentElement();
    assertThat(child(project, "parent")).as("the BOM inherits no dependencyManagement").isNull();
    assertThat(text(project, "artifactId")).isEqualTo("oidc-gate-bom");
    assertThat(text(project, "version")).isEqualTo(VERSION);
    assertRequiredMetadata(bom, bom);

    List<String> managed = new ArrayList<>();
    Element deps = child(child(project, "dependencyManagement"), "dependencies");
    for (Element dep : children(deps, "dependency")) {
      assertThat(text(dep, "version")).isEqualTo("${project.version}");
      managed.add(text(dep, "groupId") + ":" + text(dep, "artifactId"));
    }
    assertThat(managed)
        .containsExactlyInAnyOrderElementsOf(
            JAR_MODULES.stream().map(m -> "dev.oidcgate:" + m.split(":")[1]).toList());
  }

  /**
   * Central's list: name, description, url, licence (name, url), SCM (url, connection), developer.
   */
  private static void assertRequiredMetadata(Document pom, Document parent) {
    Element p = pom.getDocumentElement();
    Element pp = parent.getDocumentElement();
    String where = text(p, "artifactId");
    assertThat(text(p, "name")).as("name of %s", where).isNotBlank();
    assertThat(text(p, "description")).as("description of %s", where).isNotBlank();
    assertThat(orParent(p, pp, "url")).as("url of %s", where).startsWith("https://");
    Element licenses = child(orParentElement(p, pp, "licenses"), "license");
    assertThat(text(licenses, "name")).as("licence of %s", where).isNotBlank();
    assertThat(text(licenses, "url")).as("licence url of %s", where).startsWith("https://");
    Element scm = orParentElement(p, pp, "scm");
    assertThat(text(scm, "url")).as("scm url of %s", where).startsWith("https://");
    assertThat(text(scm, "connection")).as("scm connection of %s", where).startsWith("scm:git:");
    Element developer = child(orParentElement(p, pp, "developers"), "developer");
    assertThat(text(developer, "name")).as("developer of %s", where).isNotBlank();
  }

  private static String orParent(Element p, Element parent, String name) {
    String own = text(p, name);
    return own.isEmpty() ? text(parent, name) : own;
  }

  private static Element orParentElement(Element p, Element parent, String name) {
    Element own = child(p, name);
    Element found = own != null ? own : child(parent, name);
    assertThat(found).as("<%s> in %s or its parent", name, text(p, "artifactId")).isNotNull();
    return found;
  }

  private static List<String> entries(Path jar) throws IOException {
    assertThat(jar).exists();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
    }
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? "" : e.getTextContent().trim();
  }
}
