package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the upstream fails, the client gets 502 or 504 with a short text, and the proxy goes on
 * serving.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class ProxyFailureTest {

  private static ProxyChain chain;
  private static ServerSocket resetter;
  private static ServerSocket fullBacklog;
  private static final List<Socket> backlogFillers = new ArrayList<>();
  private static boolean backlogFull;

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    int deadPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = probe.getLocalPort();
    }
    resetter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread reset = new Thread(ProxyFailureTest::resetEveryConnection, "resetter");
    reset.setDaemon(true);
    reset.start();
    fullBacklog = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    backlogFull = fillBacklog();

    Map<String, UnaryOperator<ProxyConfigBuilder>> routes = new LinkedHashMap<>();
    routes.put("api", b -> b);
    routes.put("short", b -> b.responseTimeout(Duration.ofMillis(300)));
    routes.put("refused", b -> b.targetUri("http://127.0.0.1:" + deadPort));
    routes.put("reset", b -> b.targetUri("http://127.0.0.1:" + resetter.getLocalPort()));
    routes.put(
        "blackhole",
        b ->
            b.targetUri("http://127.0.0.1:" + fullBacklog.getLocalPort())
                .connectTimeout(Duration.ofMillis(300)));
    chain = servers.chain(routes);
  }

  @AfterAll
  static void stopTheStandInSockets() throws IOException {
    resetter.close();
    for (Socket s : backlogFillers) {
      s.close();
    }
    fullBacklog.close();
  }

  @Test
  void refusedConnectionIsBadGateway() throws Exception {
    HttpResponse<String> response = get("refused", "/anything");

    assertThat(response.statusCode()).isEqualTo(502);
    assertShortTextBody(response);
    assertThat(chain.routes.get("refused").poolStats().leased()).isZero();
  }

  @Test
  void connectionResetIsBadGateway() throws Exception {
    HttpResponse<String> response = get("reset", "/anything");

    assertThat(response.statusCode()).isEqualTo(502);
    assertShortTextBody(response);
  }

  @Test
  void slowUpstreamIsGatewayTimeout() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = get("short", "/slow/3000");

    assertThat(response.statusCode()).isEqualTo(504);
    assertShortTextBody(response);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void connectTimeoutIsGatewayTimeout() throws Exception {
    Assumptions.assumeTrue(backlogFull, "could not fill the listen backlog to make connects hang");
    HttpResponse<String> response = get("blackhole", "/anything");

    assertThat(response.statusCode()).isEqualTo(504);
    assertShortTextBody(response);
  }

  @Test
  void upstreamFailingMidResponseAbortsTheClientConnection() {
    assertThatThrownBy(
            () ->
                chain.client.send(
                    HttpRequest.newBuilder(chain.via("api", "/truncated")).build(),
                    BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void proxyKeepsServingAfterFailures() throws Exception {
    get("refused", "/x");
    get("reset", "/x");
    get("short", "/slow/1000");

    assertThat(get("api", "/fine").statusCode()).isEqualTo(200);
    assertThat(get("short", "/slow/1").statusCode()).isEqualTo(200);
    ProxyStreamingTest.await(
        () -> chain.routes.get("short").poolStats().leased() == 0, Duration.ofSeconds(5));
  }

  private static HttpResponse<String> get(String route, String path) throws Exception {
    return chain.client.send(
        HttpRequest.newBuilder(chain.via(route, path)).build(), BodyHandlers.ofString());
  }

  private static void assertShortTextBody(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(response.body())
        .hasSizeLessThan(200)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  private static void resetEveryConnection() {
    while (!resetter.isClosed()) {
      try (Socket socket = resetter.accept()) {
        socket.getInputStream().read(new byte[1024]);
        socket.setSoLinger(true, 0); // close with RST
      } catch (IOException e) {
        // closed at the end of the test class
      }
    }
  }

  /** Fills the accept queue of a socket nobody accepts on, so that further SYNs are dropped. */
  private static boolean fillBacklog() {
    for (int i = 0; i < 16; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), fullBacklog.getLocalPort()),
            200);
        backlogFillers.add(socket);
      } catch (SocketTimeoutException e) {
        closeQuietly(socket);
        return true;
      } catch (IOException e) {
        closeQuietly(socket);
        return false;
      }
    }
    return false;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
