package dev.oidcgate.proxy.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.proxy.ProxyConfig;
import dev.oidcgate.proxy.ProxyServers;
import dev.oidcgate.proxy.ProxyServersExtension;
import dev.oidcgate.proxy.ProxyServlet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request that declares an empty body ({@code Content-Length: 0}) is forwarded, whatever its
 * method: HttpClient 5 refuses an OPTIONS request with a body entity and no {@code Content-Type},
 * which used to turn a CORS-style {@code OPTIONS} with {@code Content-Length: 0} into a 502. After
 * each exchange nothing is left behind: no upstream connection, no lease, no thread in the proxy.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class EmptyBodyRequestTest {

  private static FaultyUpstream upstream;
  private static ProxyHost host;

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    upstream = servers.closeAfter(new FaultyUpstream());
    host =
        servers.closeAfter(
            ProxyHost.start(
                new ProxyServlet(ProxyConfig.builder().targetUri(upstream.uri()).build())));
  }

  @AfterEach
  void nothingIsLeftBehind() throws InterruptedException {
    host.assertNothingLeft(upstream, Duration.ofSeconds(15));
  }

  @Test
  void optionsWithContentLengthZeroAndNoContentTypeIsForwarded() throws Exception {
    String answer = exchange("OPTIONS /app/up/thing HTTP/1.1", "Content-Length: 0");

    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok OPTIONS 0\n");
    assertThat(upstream.lastHead).startsWith("OPTIONS /thing HTTP/1.1");
  }

  @Test
  void postWithContentLengthZeroStillTellsTheUpstreamItsLength() throws Exception {
    String answer = exchange("POST /app/up/thing HTTP/1.1", "Content-Length: 0");

    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok POST 0\n");
    assertThat(upstream.lastHead).containsIgnoringCase("Content-Length: 0\r\n");
  }

  @Test
  void deleteWithContentLengthZeroIsForwarded() throws Exception {
    String answer = exchange("DELETE /app/up/thing HTTP/1.1", "Content-Length: 0");

    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok DELETE 0\n");
  }

  private static String exchange(String requestLine, String... headers) throws IOException {
    try (Socket socket = host.connect()) {
      String[] lines = new String[headers.length + 3];
      lines[0] = requestLine;
      lines[1] = "Host: 127.0.0.1";
      lines[2] = "Connection: close";
      System.arraycopy(headers, 0, lines, 3, headers.length);
      ProxyHost.send(socket, lines);
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
