package dev.oidcgate.oidcprovider;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.testlogs.SecretLedger;
import dev.oidcgate.testserver.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * panva's {@code oidc-provider} ({@code op/server.mjs} under Node.js) on 127.0.0.1 and a free port,
 * its output in a file of its own. {@link #close()} ends the process tree, also when start-up
 * failed half-way; a shutdown hook does it if the test JVM exits first.
 */
final class OidcProviderServer implements AutoCloseable {

  private final Path op;
  private final Path log;
  private final int port = ChildProcess.freeLoopbackPort();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ChildProcess process;

  /**
   * @param op the folder with {@code server.mjs} and its {@code node_modules}
   * @param log where the OP's output goes
   */
  OidcProviderServer(Path op, Path log) {
    this.op = op;
    this.log = log;
    this.process = new ChildProcess("oidc-provider", log, Duration.ofSeconds(10));
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
        new ProcessBuilder("node", "server.mjs", Integer.toString(port)).directory(op.toFile());
    pb.environment().put("OP_CLIENTS_FILE", clients.toString());
    pb.environment().remove("DEBUG"); // the provider's debug output would show tokens
    pb.environment().putAll(environment);
    process.start(pb);

    String ready = "READY " + port;
    process.awaitReady(
        timeout,
        Duration.ofMillis(100),
        "print '" + ready + "'",
        () -> Files.readString(log, StandardCharsets.UTF_8).lines().anyMatch(ready::equals));
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

  /** Stops the OP and every process it started (SIGTERM: server.mjs closes its listener). */
  @Override
  public void close() {
    process.close();
  }
}
