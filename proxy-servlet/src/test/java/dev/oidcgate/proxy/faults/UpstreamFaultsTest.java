package dev.oidcgate.proxy.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.proxy.ProxyConfig;
import dev.oidcgate.proxy.ProxyServers;
import dev.oidcgate.proxy.ProxyServersExtension;
import dev.oidcgate.proxy.ProxyServlet;
import dev.oidcgate.proxy.faults.FaultyUpstream.Fault;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upstream fails in every way a network lets it, and so does the client: each time the client
 * gets the documented status (or an aborted connection once the answer has started), the proxy lets
 * go of the upstream connection and of the request thread, its pool has nothing leased, and the
 * next request is served as if nothing had happened.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class UpstreamFaultsTest {

  private static final Duration LIMIT = Duration.ofSeconds(15);

  private static FaultyUpstream upstream;
  private static ProxyHost host;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    upstream = servers.closeAfter(new FaultyUpstream());
    ProxyServlet proxy =
        new ProxyServlet(
            ProxyConfig.builder()
                .targetUri(upstream.uri())
                .responseTimeout(Duration.ofSeconds(2))
                .build());
    host = servers.closeAfter(ProxyHost.start(proxy));
  }

  @AfterEach
  void theProxyRecoversAndLeavesNothingBehind() throws Exception {
    upstream.fault = Fault.NONE;
    HttpResponse<String> next = get("/after");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("ok GET 0\n");
    host.assertNothingLeft(upstream, LIMIT);
  }

  @Test
  void aRefusedConnectionIsBadGatewayUntilTheUpstreamListensAgain() throws Exception {
    upstream.refuse();
    try {
      HttpResponse<String> response = get("/x");

      assertThat(response.statusCode()).isEqualTo(502);
      assertShortText(response);
    } finally {
      upstream.listen();
    }
  }

  @Test
  void aResetConnectionIsBadGateway() throws Exception {
    upstream.fault = Fault.RESET;

    HttpResponse<String> response = get("/x");

    assertThat(response.statusCode()).isEqualTo(502);
    assertShortText(response);
  }

  @Test
  void anUpstreamThatNeverAnswersIsGatewayTimeoutAndItsConnectionIsClosed() throws Exception {
    upstream.fault = Fault.HANG;

    HttpResponse<String> response = get("/x");

    assertThat(response.statusCode()).isEqualTo(504);
    assertShortText(response);
    // The hanging upstream sees the end of its stream: the proxy closed the connection.
    ProxyHost.await("upstream connection closed", () -> upstream.openConnections() == 0, LIMIT);
  }

  @Test
  void anUpstreamClosingMidBodyAbortsTheClientConnection() throws Exception {
    upstream.fault = Fault.CLOSE_MID_BODY;

    assertThatThrownBy(
            () ->
                CLIENT.send(
                    HttpRequest.newBuilder(host.uri("/x")).build(), BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aClientLeavingMidDownloadEndsTheUpstreamExchange() throws Exception {
    upstream.fault = Fault.ENDLESS_BODY;
    try (Socket client = host.connect()) {
      ProxyHost.send(client, "GET /app/up/big HTTP/1.1", "Host: 127.0.0.1");
      ProxyHost.readAtLeast(client, 1024 * 1024);
      client.setSoLinger(true, 0);
    }

    ProxyHost.await("endless upstream closed", () -> upstream.openConnections() == 0, LIMIT);
  }

  @Test
  void aClientLeavingMidUploadEndsTheUpstreamExchange() throws Exception {
    try (Socket client = host.connect()) {
      ProxyHost.send(
          client,
          "POST /app/up/upload HTTP/1.1",
          "Host: 127.0.0.1",
          "Content-Type: application/octet-stream",
          "Content-Length: " + (64L * 1024 * 1024));
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < 16; i++) {
        client.getOutputStream().write(chunk);
      }
      client.getOutputStream().flush();
      ProxyHost.await("upload reached the upstream", () -> upstream.openConnections() == 1, LIMIT);
    }

    ProxyHost.await("upload cut short upstream", () -> upstream.truncatedUploads.get() >= 1, LIMIT);
  }

  @Test
  void aWholeUploadStillArrivesIntact() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024];

    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(host.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("ok POST " + body.length + "\n");
  }

  @Test
  void manyFaultsInARowExhaustNothing() throws Exception {
    Fault[] faults = {Fault.RESET, Fault.HANG, Fault.CLOSE_MID_BODY};
    for (int round = 0; round < 4; round++) {
      for (Fault fault : faults) {
        upstream.fault = fault;
        try {
          get("/x");
        } catch (IOException expected) {
          // CLOSE_MID_BODY aborts the client connection
        }
      }
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(host.uri(path)).build(), BodyHandlers.ofString());
  }

  private static void assertShortText(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(response.body()).hasSizeLessThan(200).doesNotContain("Exception");
  }
}
