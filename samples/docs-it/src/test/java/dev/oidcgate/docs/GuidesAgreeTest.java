package dev.oidcgate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the guides' snippets say without running them: the coordinates and plugin versions are the
 * real ones, and the README, the getting-started guide and the Keycloak page show one example.
 */
class GuidesAgreeTest {

  @Test
  void theGuidesDependenciesAreTheFiltersRealCoordinatesAndTheSlf4jBindingOfThisBuild()
      throws Exception {
    String snippet = GuideSnippets.of("docs/getting-started.md").block("pom-dependencies");

    List<String> coordinates = new ArrayList<>();
    NodeList deps =
        xml("<dependencies>" + snippet + "</dependencies>").getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      String scope = text(d, "scope");
      coordinates.add(
          text(d, "groupId")
              + ":"
              + text(d, "artifactId")
              + ":"
              + text(d, "version")
              + (scope.isEmpty() ? "" : ":" + scope));
    }

    // The same two this module declares at compile and runtime scope, whose jars the WAR gets.
    assertThat(coordinates)
        .containsExactly(
            System.getProperty("filter.coordinates"),
            "org.slf4j:slf4j-jdk14:" + System.getProperty("slf4j.version") + ":runtime");
  }

  @Test
  void theGuidePinsTheCompilerAndWarPluginVersionsThisProjectBuildsWith() throws Exception {
    String snippet = GuideSnippets.of("docs/getting-started.md").block("pom-build-plugins");
    Document guide = xml("<plugins>" + snippet + "</plugins>");
    Document parent =
        xml(
            java.nio.file.Files.readString(
                GuideSnippets.root().resolve("pom.xml"), StandardCharsets.UTF_8));

    for (String plugin : List.of("maven-compiler-plugin", "maven-war-plugin")) {
      assertThat(pluginVersion(guide, plugin))
          .as(plugin + " in the guide")
          .isNotEmpty()
          .isEqualTo(pluginVersion(parent, plugin));
    }
    assertThat(guide.getElementsByTagName("release").item(0).getTextContent()).isEqualTo("17");
  }

  @Test
  void readmeShowsTheGuidesWebXmlAndItsFirstDependency() throws Exception {
    GuideSnippets guide = GuideSnippets.of("docs/getting-started.md");
    GuideSnippets readme = GuideSnippets.of("README.md");

    assertThat(readme.block("web.xml")).isEqualTo(guide.block("web.xml"));
    assertThat(guide.block("pom-dependencies")).startsWith(readme.block("pom-dependencies"));
  }

  @Test
  void theKeycloakPageIsTheGuidesWebXmlWithKeycloakLinesAdded() throws Exception {
    String guide = GuideSnippets.of("docs/getting-started.md").block("web.xml");
    String keycloak = GuideSnippets.of("docs/providers/keycloak.md").block("web.xml");

    Set<String> guideLines = guide.lines().collect(Collectors.toSet());
    String keycloakWithoutItsOwnLines =
        keycloak.lines().filter(guideLines::contains).collect(Collectors.joining("\n"));
    assertThat(keycloakWithoutItsOwnLines).isEqualTo(guide);
    assertThat(keycloak).doesNotContain("<param-name>audience</param-name>");
  }

  @Test
  void noGuideAsksTheReaderToFillInAPlaceholderRepository() throws Exception {
    for (String page :
        List.of("README.md", "docs/getting-started.md", "docs/providers/keycloak.md")) {
      assertThat(GuideSnippets.of(page).text()).as(page).doesNotContain("<this repository>");
    }
    assertThat(GuideSnippets.root().resolve("docs/providers/keycloak-interop-notes.md"))
        .as("merged into keycloak.md")
        .doesNotExist();
  }

  private static String pluginVersion(Document doc, String artifactId) {
    NodeList plugins = doc.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element p = (Element) plugins.item(i);
      if (artifactId.equals(text(p, "artifactId"))) {
        return text(p, "version");
      }
    }
    return "";
  }

  private static String text(Element parent, String child) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(child)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  private static Document xml(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
