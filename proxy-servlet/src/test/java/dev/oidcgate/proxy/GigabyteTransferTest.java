package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1 GiB down and 1 GiB up through a proxy that runs in a child JVM limited to {@value #MAX_HEAP} of
 * heap: if the proxy buffered a body, it could not pass. The heap figures are written to {@code
 * target/proxy-heap.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class GigabyteTransferTest {

  private static final String MAX_HEAP = "64m";
  private static final long GIB = 1024L * 1024 * 1024;
  private static final long SEED = 11;

  private static final EchoServlet echo = new EchoServlet();
  private static JettyServer upstream;
  private static Process proxy;
  private static int proxyPort;
  private static long expectedCrc;
  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    upstream =
        servers.closeAfter(
            JettyServer.start("", Map.of("/*", echo, "/bytes/*", new UpstreamServlets.Bytes())));
    Path log = Path.of("target", "standalone-proxy.log");
    Files.createDirectories(log.getParent());
    proxy =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + MAX_HEAP,
                    "-cp",
                    System.getProperty("java.class.path"),
                    StandaloneProxy.class.getName(),
                    upstream.uri().toString()))
            .redirectError(log.toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
    String ready = out.readLine();
    assertThat(ready).as("child proxy output, see " + log).startsWith("PORT ");
    proxyPort = Integer.parseInt(ready.substring(5).trim());
    expectedCrc = GeneratedBytes.crc(GIB, SEED);
    heap("?reset");
  }

  @AfterAll
  static void stopTheProxyProcess() throws Exception {
    if (proxy != null) {
      proxy.getOutputStream().close();
      if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
        proxy.destroyForcibly();
      }
    }
  }

  @Test
  @Order(1)
  void oneGibibyteDownloadPassesThroughASmallHeap() throws Exception {
    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(via("/bytes/" + GIB + "?seed=" + SEED)).build(),
            BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    CRC32C crc = new CRC32C();
    long received = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        crc.update(buffer, 0, n);
        received += n;
      }
    }
    assertThat(received).isEqualTo(GIB);
    assertThat(crc.getValue()).isEqualTo(expectedCrc);
  }

  @Test
  @Order(2)
  void oneGibibyteUploadPassesThroughASmallHeap() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(via("/upload"))
                .POST(
                    BodyPublishers.fromPublisher(
                        BodyPublishers.ofInputStream(() -> new GeneratedBytes(GIB, SEED)), GIB))
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest recorded = echo.take();
    assertThat(recorded.bodyLength()).isEqualTo(GIB);
    assertThat(recorded.bodyCrc()).isEqualTo(expectedCrc);
  }

  @Test
  @Order(3)
  void heapStayedSmall() throws Exception {
    Map<String, Long> heap = heap("");
    Files.writeString(
        Path.of("target", "proxy-heap.txt"),
        "proxy child JVM -Xmx" + MAX_HEAP + ", after 1 GiB down and 1 GiB up\n" + heap + "\n");

    assertThat(heap.get("max")).isLessThanOrEqualTo(64L * 1024 * 1024);
    assertThat(heap.get("usedAfterGc")).isLessThan(32L * 1024 * 1024);
  }

  private static URI via(String path) {
    return URI.create("http://127.0.0.1:" + proxyPort + "/app/api" + path);
  }

  private static Map<String, Long> heap(String query) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxyPort + "/app/heap" + query))
                .timeout(Duration.ofSeconds(10))
                .build(),
            BodyHandlers.ofString());
    Map<String, Long> figures = new HashMap<>();
    response
        .body()
        .lines()
        .forEach(
            line -> {
              int eq = line.indexOf('=');
              figures.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            });
    return figures;
  }
}
