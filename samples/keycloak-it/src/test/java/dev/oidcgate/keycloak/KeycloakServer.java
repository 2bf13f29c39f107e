package dev.oidcgate.keycloak;

import dev.oidcgate.testserver.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private final ChildProcess process;

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
    this.port = ChildProcess.freeLoopbackPort();
    this.process = new ChildProcess("Keycloak", log, Duration.ofSeconds(20));
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
                "--http-management-port=" + ChildProcess.freeLoopbackPort(),
                "--health-enabled=false",
                "--metrics-enabled=false",
                "--hostname-strict=false",
                "--cache=local"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = pb.environment();
    // Keycloak 26.5 supports OpenJDK 17, 21 and 25: by default it runs on the JVM that runs the
    // tests.
    env.put("JAVA_HOME", System.getProperty("keycloak.java.home", System.getProperty("java.home")));
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    env.remove("JAVA_OPTS");
    env.remove("JAVA_OPTS_APPEND");
    process.start(pb);

    URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    process.awaitReady(
        timeout,
        Duration.ofMillis(500),
        "answer " + discovery,
        () -> {
          try {
            return client
                    .send(
                        HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (IOException notYet) {
            return false; // not listening yet
          }
        });
  }

  /** Stops Keycloak: SIGTERM to {@code kc.sh} and its JVM, which shut down cleanly. */
  @Override
  public void close() {
    process.close();
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
}
