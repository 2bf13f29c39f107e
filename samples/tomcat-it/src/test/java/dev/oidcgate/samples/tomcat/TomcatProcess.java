package dev.oidcgate.samples.tomcat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apache Tomcat, unpacked from the distribution, run as a child process by its own {@code
 * bin/catalina.sh run}. {@code CATALINA_HOME} is the untouched distribution; {@code CATALINA_BASE}
 * is a fresh folder with the distribution's {@code conf/} (server.xml changed only to listen on
 * 127.0.0.1 and on free ports) and one WAR in {@code webapps/}. Everything the child prints goes to
 * {@code catalina.out} in the base.
 */
// Closed by Teardown, not in try-with-resources: an interrupt while stopping is fine to pass on.
@SuppressWarnings("try")
public final class TomcatProcess implements AutoCloseable {

  private static final String SHUTDOWN_COMMAND = "SHUTDOWN";

  private final Path home;
  private final Path base;
  private final Path catalinaOut;
  private final int httpPort;
  private final int shutdownPort;
  private Process process;

  private TomcatProcess(Path home, Path base, int httpPort, int shutdownPort) {
    this.home = home;
    this.base = base;
    this.catalinaOut = base.resolve("logs/catalina.out");
    this.httpPort = httpPort;
    this.shutdownPort = shutdownPort;
  }

  /**
   * A new {@code CATALINA_BASE} named {@code baseName} under the build's work directory with the
   * sample WAR deployed as {@code /app}: the paths come from the system properties Maven sets.
   */
  public static TomcatProcess forSampleWar(String baseName) throws IOException {
    return prepare(
        Path.of(requiredProperty("tomcat.home")),
        Path.of(requiredProperty("work.dir")).resolve(baseName),
        Path.of(requiredProperty("sample.war")),
        "app");
  }

  /** A system property Maven sets for the integration tests; fails clearly outside Maven. */
  public static String requiredProperty(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + property + " is not set; run through Maven (mvn verify)");
    }
    return value;
  }

  /**
   * Lays out a new {@code CATALINA_BASE} under {@code base} with {@code war} deployed as {@code
   * webapps/<contextName>.war}.
   */
  public static TomcatProcess prepare(Path home, Path base, Path war, String contextName)
      throws IOException {
    if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
      throw new IllegalStateException(
          "No Tomcat distribution at " + home + " (run through Maven: mvn verify)");
    }
    if (!Files.isRegularFile(war)) {
      throw new IllegalStateException("No WAR at " + war + " (run through Maven: mvn verify)");
    }
    deleteRecursively(base);
    for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
      for (Path file : (Iterable<Path>) conf::iterator) {
        if (Files.isRegularFile(file)) {
          Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
        }
      }
    }
    int httpPort = freePort();
    int shutdownPort = freePort();
    while (shutdownPort == httpPort) {
      shutdownPort = freePort();
    }
    Path serverXml = base.resolve("conf/server.xml");
    String xml = Files.readString(serverXml);
    xml =
        replaceOnce(
            xml,
            "<Server port=\"8005\"",
            "<Server address=\"127.0.0.1\" port=\"" + shutdownPort + "\"");
    xml =
        replaceOnce(
            xml,
            "<Connector port=\"8080\"",
            "<Connector address=\"127.0.0.1\" port=\"" + httpPort + "\"");
    xml = afterOpeningTag(xml, "<Host name=\"localhost\"", documentedErrorValve());
    Files.writeString(serverXml, xml);
    Files.copy(war, base.resolve("webapps").resolve(contextName + ".war"));
    return new TomcatProcess(home, base, httpPort, shutdownPort);
  }

  /** Starts {@code catalina.sh run} with exactly the given application environment variables. */
  public void start(Map<String, String> appEnvironment) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("bash", home.resolve("bin/catalina.sh").toString(), "run");
    Map<String, String> env = builder.environment();
    // Nothing from the developer's shell may configure this Tomcat or the app.
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("OIDC_")
                    || name.startsWith("CATALINA_")
                    || name.startsWith("JAVA_OPTS")
                    || name.startsWith("JRE_HOME")
                    || name.equals("UPSTREAM_URL")
                    || name.startsWith("JPDA_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("CATALINA_HOME", home.toString());
    env.put("CATALINA_BASE", base.toString());
    env.put("CATALINA_OPTS", "-Xmx256m");
    env.putAll(appEnvironment);
    builder.directory(base.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(catalinaOut.toFile());
    process = builder.start();
  }

  /**
   * Waits until {@code path} answers {@code expectedStatus}, i.e. the app is deployed and its
   * filter and servlet are up. Fails with the log tail if Tomcat exits or the deadline passes.
   */
  public void awaitStatus(String path, int expectedStatus, Duration timeout)
      throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Tomcat exited with " + process.exitValue() + " while starting\n" + logTail());
      }
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == expectedStatus) {
          return;
        }
        last = "status " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "Tomcat did not answer "
            + path
            + " with "
            + expectedStatus
            + " within "
            + timeout
            + " (last: "
            + last
            + ")\n"
            + logTail());
  }

  /**
   * Waits until catalina.out contains {@code text}; fails with the log tail if Tomcat exits first.
   */
  public void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(catalinaOut)
          && Files.readString(catalinaOut, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Tomcat exited with " + process.exitValue() + "\n" + logTail());
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "No '" + text + "' in catalina.out within " + timeout + "\n" + logTail());
  }

  /** Everything Tomcat logged so far: catalina.out and the host's log. */
  public String logs() throws IOException {
    StringBuilder out = new StringBuilder(Files.readString(catalinaOut, StandardCharsets.UTF_8));
    try (Stream<Path> files = Files.list(base.resolve("logs"))) {
      for (Path p :
          (Iterable<Path>)
              files.filter(f -> f.getFileName().toString().startsWith("localhost."))::iterator) {
        out.append(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out.toString();
  }

  /** The Tomcat JVM's process id ({@code catalina.sh run} execs java in place of the shell). */
  public long pid() {
    return process.pid();
  }

  public URI url(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
  }

  public Path base() {
    return base;
  }

  /** The last lines of catalina.out and of the host's log (where deployment errors go). */
  public String logTail() {
    StringBuilder out = new StringBuilder();
    List<Path> logs = new ArrayList<>();
    logs.add(catalinaOut);
    try (Stream<Path> files = Files.list(base.resolve("logs"))) {
      files
          .filter(p -> p.getFileName().toString().startsWith("localhost."))
          .sorted(Comparator.naturalOrder())
          .forEach(logs::add);
    } catch (IOException e) {
      out.append("(cannot list logs: ").append(e).append(")\n");
    }
    for (Path log : logs) {
      out.append("----- tail of ").append(log).append(" -----\n");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines
            .subList(Math.max(0, lines.size() - 60), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (IOException | UncheckedIOException e) {
        out.append("(cannot read: ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /**
   * Stops Tomcat the way an operator would (the shutdown port), then with SIGTERM, then SIGKILL;
   * never leaves the child behind.
   */
  public void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), shutdownPort), 2000);
      OutputStream out = socket.getOutputStream();
      out.write(SHUTDOWN_COMMAND.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // Not listening (start-up failed half-way): fall through to the signals.
    }
    if (process.waitFor(20, TimeUnit.SECONDS)) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The {@code ErrorReportValve} line exactly as docs/sample-webapp.md tells operators to add it,
   * so the tests run the documented set-up and the page cannot drift from what works.
   */
  static String documentedErrorValve() throws IOException {
    String doc = Files.readString(Path.of("..", "..", "docs", "sample-webapp.md"));
    int marker = doc.indexOf("<!-- tomcat-error-valve -->");
    int start = doc.indexOf("```xml\n", marker);
    if (marker < 0 || start < 0) {
      throw new IllegalStateException("docs/sample-webapp.md lost its tomcat-error-valve block");
    }
    start += "```xml\n".length();
    return doc.substring(start, doc.indexOf("```", start)).trim();
  }

  private static String afterOpeningTag(String xml, String tagStart, String insert) {
    int at = xml.indexOf(tagStart);
    if (at < 0) {
      throw new IllegalStateException("conf/server.xml of this Tomcat has no " + tagStart);
    }
    int end = xml.indexOf('>', at) + 1;
    return xml.substring(0, end) + "\n        " + insert + xml.substring(end);
  }

  private static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    if (at < 0) {
      throw new IllegalStateException("conf/server.xml of this Tomcat has no " + from);
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
