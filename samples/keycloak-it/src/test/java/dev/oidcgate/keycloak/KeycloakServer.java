package dev.oidcgate.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Keycloak server from the unpacked distribution ({@code bin/kc.sh start-dev
 * --import-realm}), on 127.0.0.1 and free ports, with a bounded heap and its log in a file. {@link
 * #close()} ends the whole process tree ({@code kc.sh} and the JVM it runs), also when start-up
 * failed half-way.
 */
final class KeycloakServer implements AutoCloseable {

  private final Path home;
  private final Path log;
  private final String realm;
  private final int port;
  private Process process;
  private final Thread shutdownHook = new Thread(this::stop, "keycloak-stop");

  /**
   * @param home the unpacked distribution
   * @param realmJson a classpath resource: the realm imported at start
   * @param realm the realm's name, to know when it is ready
   * @param log where Keycloak's output goes
   */
  KeycloakServer(Path home, String realmJson, String realm, Path log) {
    this.home = home;
    this.realm = realm;
    this.log = log;
    this.port = freePort();
    copyRealm(realmJson);
  }

  /** The realm's issuer URL. */
  String issuer() {
    return "http://127.0.0.1:" + port + "/realms/" + realm;
  }

  Path log() {
    return log;
  }

  /**
   * Starts Keycloak and waits until the realm's discovery document answers, or fails after {@code
   * timeout}.
   */
  void start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    List<String> command =
        new ArrayList<>(
            List.of(
                "/bin/sh",
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--import-realm",
                "--db=dev-file",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + freePort(),
                "--health-enabled=false",
                "--metrics-enabled=false",
                "--hostname-strict=false",
                "--cache=local"));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    Map<String, String> env = pb.environment();
    // Keycloak 26.5 supports OpenJDK 17, 21 and 25: by default it runs on the JVM that runs the
    // tests.
    env.put("JAVA_HOME", System.getProperty("keycloak.java.home", System.getProperty("java.home")));
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    env.remove("JAVA_OPTS");
    env.remove("JAVA_OPTS_APPEND");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    process = pb.start();
    process.getOutputStream().close();

    URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak exited with " + process.exitValue() + "; its log:\n" + tail());
      }
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "Keycloak did not answer " + discovery + " within " + timeout + "; its log:\n" + tail());
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
      // nothing to remove
    }
  }

  private synchronized void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy); // SIGTERM: Keycloak shuts down cleanly
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (ProcessHandle p : tree) {
      while (p.isAlive() && System.nanoTime() < deadline) {
        try {
          p.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException
            | java.util.concurrent.ExecutionException e) {
          // check the deadline again
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    process = null;
  }

  /** The last lines of Keycloak's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void copyRealm(String resource) {
    try {
      // A fresh database at every run, so the realm is imported from the JSON and not kept from
      // last time.
      Path db = home.resolve("data/h2");
      if (Files.isDirectory(db)) {
        try (Stream<Path> files = Files.walk(db)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Path importDir = Files.createDirectories(home.resolve("data/import"));
      try (InputStream in = KeycloakServer.class.getResourceAsStream("/" + resource)) {
        if (in == null) {
          throw new IllegalStateException("No realm resource " + resource);
        }
        Files.copy(in, importDir.resolve(resource), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
