package dev.oidcgate.oidcprovider;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.testlogs.SecretLedger;
import java.io.IOException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * panva's {@code oidc-provider} ({@code op/server.mjs} under Node.js) on 127.0.0.1 and a free port,
 * its output in a file of its own. {@link #close()} ends the process tree, also when start-up
 * failed half-way; a shutdown hook does it if the test JVM exits first.
 */
final class OidcProviderServer implements AutoCloseable {

  private final Path op;
  private final Path log;
  private final int port = freePort();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread shutdownHook = new Thread(this::stop, "oidc-provider-stop");
  private Process process;

  /**
   * @param op the folder with {@code server.mjs} and its {@code node_modules}
   * @param log where the OP's output goes
   */
  OidcProviderServer(Path op, Path log) {
    this.op = op;
    this.log = log;
  }

  String issuer() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Starts the OP with {@code clients} (client metadata, as JSON) registered up front, and waits
   * until it prints {@code READY <port>}, or fails after {@code timeout}.
   */
  void start(String clientsJson, Duration timeout) throws IOException, InterruptedException {
    start(clientsJson, timeout, Map.of());
  }

  /**
   * Like {@link #start(String, Duration)}, with more environment ({@code OP_DPOP_NONCE}, {@code
   * OP_REQUIRE_PAR}, ...).
   */
  void start(String clientsJson, Duration timeout, Map<String, String> environment)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Path clients = log.resolveSibling(log.getFileName() + ".clients.json");
    Files.writeString(clients, clientsJson, StandardCharsets.UTF_8);
    ProcessBuilder pb =
        new ProcessBuilder("node", "server.mjs", Integer.toString(port))
            .directory(op.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().put("OP_CLIENTS_FILE", clients.toString());
    pb.environment().remove("DEBUG"); // the provider's debug output would show tokens
    pb.environment().putAll(environment);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    process = pb.start();
    process.getOutputStream().close();

    String ready = "READY " + port;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log, StandardCharsets.UTF_8).lines().anyMatch(ready::equals)) {
        return;
      }
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "oidc-provider exited with " + process.exitValue() + "; its log:\n" + tail());
      }
    }
    throw new IllegalStateException(
        "oidc-provider did not print '" + ready + "' within " + timeout + "; its log:\n" + tail());
  }

  /**
   * Registers a client (OpenID Connect Dynamic Client Registration) with {@code metadata}, once its
   * redirect URI is known. The client secret it gets is recorded as a secret.
   *
   * @return the registration answer: {@code client_id}, {@code client_secret}, ...
   */
  Map<String, Object> register(Map<String, Object> metadata) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(issuer() + "/reg"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(metadata)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("registration refused: " + r.statusCode() + " " + r.body());
    }
    Map<String, Object> client = JSONObjectUtils.parse(r.body());
    SecretLedger.record("client secret", (String) client.get("client_secret"));
    SecretLedger.record(
        "registration access token", (String) client.get("registration_access_token"));
    return client;
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
    tree.forEach(ProcessHandle::destroy); // SIGTERM: server.mjs closes its listener and exits
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    process = null;
  }

  /** The last lines of the OP's log, for failure messages. */
  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
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
