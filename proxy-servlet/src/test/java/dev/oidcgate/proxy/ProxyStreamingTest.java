package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies are streamed, not buffered: event streams, big responses, and clients that leave early.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class ProxyStreamingTest {

  private static ProxyChain chain;

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    Map<String, UnaryOperator<ProxyConfigBuilder>> routes = new LinkedHashMap<>();
    routes.put("api", b -> b.maxConnections(4));
    chain = servers.chain(routes);
  }

  @Test
  void serverSentEventReachesClientBeforeTheNextIsSent() throws Exception {
    chain.sse.clientSawFirst = new CountDownLatch(1);
    chain.sse.secondSent.set(false);
    HttpResponse<InputStream> response =
        chain.client.send(
            HttpRequest.newBuilder(chain.via("api", "/sse")).build(), BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));

    try (BufferedReader events =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(readUntilData(events)).isEqualTo("data: first");
      assertThat(chain.sse.secondSent)
          .as("upstream sent the second event before the client saw the first")
          .isFalse();
      chain.sse.clientSawFirst.countDown();
      assertThat(readUntilData(events)).isEqualTo("data: second");
    }
  }

  @ParameterizedTest(name = "chunked={0}")
  @ValueSource(booleans = {false, true})
  void largeDownloadArrivesIntact(boolean chunked) throws Exception {
    long length = 64L * 1024 * 1024 + 3;
    HttpResponse<InputStream> response =
        chain.client.send(
            HttpRequest.newBuilder(
                    chain.via("api", "/bytes/" + length + "?seed=9" + (chunked ? "&chunked" : "")))
                .build(),
            BodyHandlers.ofInputStream());

    if (!chunked) {
      assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(length);
    }
    CRC32C crc = new CRC32C();
    long received = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        crc.update(buffer, 0, n);
        received += n;
      }
    }
    assertThat(received).isEqualTo(length);
    assertThat(crc.getValue()).isEqualTo(GeneratedBytes.crc(length, 9));
  }

  @Test
  void abortedDownloadsReturnTheirConnectionsToThePool() throws Exception {
    int brokenBefore = chain.bytes.brokenWrites.get();
    int aborts = 6;
    for (int i = 0; i < aborts; i++) {
      try (Socket socket = new Socket("127.0.0.1", chain.proxy.port())) {
        socket.setSoTimeout(10_000);
        String path = "/app/api/bytes/1073741824" + (i % 2 == 0 ? "" : "?chunked");
        socket
            .getOutputStream()
            .write(
                ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        socket.getInputStream().readNBytes(256 * 1024);
        socket.setSoLinger(true, 0);
      }
    }
    ProxyServlet proxy = chain.routes.get("api");

    await(() -> proxy.poolStats().leased() == 0, Duration.ofSeconds(20));
    // Every aborted exchange was cut off upstream too, rather than drained to its gigabyte end.
    await(() -> chain.bytes.brokenWrites.get() - brokenBefore == aborts, Duration.ofSeconds(20));
    assertThat(proxy.poolStats().leased()).isZero();
    assertThat(proxy.poolStats().pending()).isZero();

    HttpResponse<String> after =
        chain.client.send(
            HttpRequest.newBuilder(chain.via("api", "/still-serving")).build(),
            BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(200);
    // The client may have its last byte a moment before the proxy thread sees the upstream's end.
    await(() -> proxy.poolStats().leased() == 0, Duration.ofSeconds(5));
  }

  private static String readUntilData(BufferedReader events) throws Exception {
    for (String line; (line = events.readLine()) != null; ) {
      if (line.startsWith("data:")) {
        return line;
      }
    }
    throw new AssertionError("event stream ended");
  }

  static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
