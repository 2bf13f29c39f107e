package dev.oidcgate.docs;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The WAR a reader ends up with after following a guide, built without a nested Maven run: {@code
 * WEB-INF/web.xml} is the guide's {@code web.xml} snippet inside a Servlet 6 {@code <web-app>} (as
 * the guide says: "inside {@code <web-app>}"), {@code WEB-INF/classes} the guide's servlet compiled
 * with javac, {@code WEB-INF/lib} the jars Maven resolved for the guide's dependencies, and {@code
 * public/index.html} the public page the guide's {@code postLogoutRedirectUri} names.
 */
public final class GuideWar {

  /** What the public page says, so a test can tell it from any other page. */
  public static final String PUBLIC_PAGE_TEXT = "Public page: no sign-in needed";

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern CLASS = Pattern.compile("(?m)^public class (\\w+)");

  private GuideWar() {}

  /**
   * Builds {@code <workDir>/<name>.war}.
   *
   * @param webXmlSnippet the {@code <filter>}/{@code <filter-mapping>} elements as the guide shows
   * @param servletSource one public class, as the guide shows it
   * @param lib a directory whose jars go to {@code WEB-INF/lib}
   */
  public static Path build(
      Path workDir, String name, String webXmlSnippet, String servletSource, Path lib)
      throws IOException {
    Path classes = compile(workDir.resolve(name + "-classes"), servletSource, lib);
    Path war = workDir.resolve(name + ".war");
    Files.createDirectories(workDir);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
      put(zip, "WEB-INF/web.xml", webXml(webXmlSnippet).getBytes(StandardCharsets.UTF_8));
      put(
          zip,
          "public/index.html",
          ("<!DOCTYPE html><html><head><title>Public</title></head><body><p>"
                  + PUBLIC_PAGE_TEXT
                  + "</p></body></html>")
              .getBytes(StandardCharsets.UTF_8));
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          put(zip, "WEB-INF/classes/" + classes.relativize(f).toString().replace('\\', '/'), f);
        }
      }
      for (Path jar : jars(lib)) {
        put(zip, "WEB-INF/lib/" + jar.getFileName(), jar);
      }
    }
    return war;
  }

  /** The snippet inside a Servlet 6 {@code <web-app>}, annotations scanned (the default). */
  static String webXml(String snippet) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                 version="6.0">
        """
        + snippet
        + "\n</web-app>\n";
  }

  private static Path compile(Path out, String source, Path lib) throws IOException {
    Matcher pkg = PACKAGE.matcher(source);
    Matcher cls = CLASS.matcher(source);
    if (!pkg.find() || !cls.find()) {
      throw new IllegalStateException("The servlet snippet has no package or public class");
    }
    Path srcDir = out.resolve("src/" + pkg.group(1).replace('.', '/'));
    Path classes = out.resolve("classes");
    Files.createDirectories(srcDir);
    Files.createDirectories(classes);
    Path file = srcDir.resolve(cls.group(1) + ".java");
    Files.writeString(file, source);

    List<String> classpath = new ArrayList<>();
    for (Path jar : jars(lib)) {
      classpath.add(jar.toString());
    }
    classpath.add(servletApiJar().toString()); // provided by the container, as in the guide
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    boolean ok =
        javac
            .getTask(
                messages,
                null,
                null,
                List.of(
                    "--release",
                    "17",
                    "-classpath",
                    String.join(java.io.File.pathSeparator, classpath),
                    "-d",
                    classes.toString()),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(file.toFile()))
            .call();
    if (!ok) {
      throw new IllegalStateException("The guide's servlet does not compile:\n" + messages);
    }
    return classes;
  }

  private static Path servletApiJar() {
    try {
      return Path.of(HttpServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> jars(Path lib) throws IOException {
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException("No " + lib + " (run through Maven: mvn verify)");
    }
    try (Stream<Path> files = Files.list(lib)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
  }

  private static void put(ZipOutputStream zip, String name, Path file) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    Files.copy(file, zip);
    zip.closeEntry();
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    OutputStream out = zip;
    out.write(bytes);
    zip.closeEntry();
  }
}
