package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy keeps upstream connections open between requests, as the upstream allows: a body read
 * to its end gives the connection back to the pool, and {@code Connection: close} from the upstream
 * is honoured. (Aborted exchanges are discarded: ProxyStreamingTest, UpstreamFaultsTest.)
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class ConnectionReuseTest {

  private static JettyServer proxy;
  private static ProxyServlet servlet;
  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Answers with the port the proxy's connection comes from; {@code ?close} also closes it. */
  static final class ConnectionPort extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (request.getParameter("close") != null) {
        response.setHeader("Connection", "close");
      }
      byte[] body =
          (request.getRemotePort()
                  + " "
                  + "x".repeat(request.getParameter("big") != null ? 100_000 : 0))
              .getBytes(StandardCharsets.UTF_8);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    JettyServer upstream =
        servers.closeAfter(JettyServer.start("", Map.of("/*", new ConnectionPort())));
    servlet = new ProxyServlet(ProxyConfig.builder().targetUri(upstream.uri().toString()).build());
    proxy = servers.closeAfter(JettyServer.start("/app", Map.of("/api/*", servlet)));
  }

  @Test
  void sequentialRequestsShareOneUpstreamConnection() throws Exception {
    List<String> ports = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ports.add(upstreamPort(i % 2 == 0 ? "" : "?big"));
    }

    assertThat(ports).containsOnly(ports.get(0));
    assertThat(servlet.poolStats().leased()).isZero();
    assertThat(servlet.poolStats().available()).isEqualTo(1);
  }

  @Test
  void connectionCloseFromTheUpstreamIsHonoured() throws Exception {
    String closed = upstreamPort("?close");

    String next = upstreamPort("");

    assertThat(next).isNotEqualTo(closed);
    assertThat(upstreamPort("")).isEqualTo(next);
  }

  private static String upstreamPort(String query) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + proxy.port() + "/app/api/port" + query);
    var response = client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body().split(" ")[0];
  }
}
