package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container that writes {@code Date} and {@code Server} itself (Jetty's defaults) still sends
 * each once: the upstream's value, as a gateway passes the origin's on.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class ContainerSetResponseHeadersTest {

  private static final String UPSTREAM_DATE = "Tue, 01 Dec 2026 10:00:00 GMT";
  private static LoopbackJetty proxy;

  static final class Dated extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setHeader("Date", UPSTREAM_DATE);
      response.setHeader("Server", "upstream/1");
      response.addHeader("Vary", "Accept");
      response.addHeader("Vary", "Origin");
      response.getWriter().write("dated");
    }
  }

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    JettyServer upstream = servers.closeAfter(JettyServer.start("", Map.of("/*", new Dated())));
    ProxyServlet servlet =
        new ProxyServlet(ProxyConfig.builder().targetUri(upstream.uri().toString()).build());
    // Jetty's default HttpConfiguration: Date and Server headers on.
    proxy =
        servers.closeAfter(
            LoopbackJetty.builder()
                .handler(LoopbackJetty.context("/app", Map.of("/api/*", servlet)))
                .start());
  }

  @Test
  void dateAndServerAreSentOnceWithTheUpstreamsValues() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(proxy.url("/app/api/x")).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("Date")).containsExactly(UPSTREAM_DATE);
    assertThat(response.headers().allValues("Server")).containsExactly("upstream/1");
    assertThat(response.headers().allValues("Vary")).containsExactly("Accept", "Origin");
  }
}
