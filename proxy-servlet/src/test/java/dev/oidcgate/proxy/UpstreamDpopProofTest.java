package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DPoP proof for the upstream (RFC 9449 §7): with the filter's proof maker in the request
 * attribute, the proxy asks it for a proof for the very request it sends (method, upstream URL) and
 * sets it as {@code DPoP}, replacing a client-sent one; without the attribute it changes nothing.
 * The maker here stands in for the filter's (which a test of samples/oidc-provider-it drives with a
 * real IdP): it writes the method and URL it was asked for.
 */
@Timeout(20)
class UpstreamDpopProofTest {

  private static final EchoServlet echo = new EchoServlet();
  private static JettyServer upstream;
  private static JettyServer proxy;
  private static final HttpClient client = HttpClient.newHttpClient();

  /** Sets the attribute the filter would set, then lets the proxy serve the request. */
  static final class WithProofMaker extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final ProxyServlet proxy;

    WithProofMaker(ProxyServlet proxy) {
      this.proxy = proxy;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
      super.init(config);
      proxy.init(config);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp)
        throws ServletException, IOException {
      BiFunction<String, URI, String> maker = (method, url) -> "proof-for " + method + " " + url;
      req.setAttribute(UpstreamDpopProof.ATTRIBUTE, maker);
      proxy.service(req, resp);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    upstream = JettyServer.start("", Map.of("/*", echo));
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put(
        "/dpop/*",
        new WithProofMaker(
            new ProxyServlet(ProxyConfig.builder().targetUri(upstream.uri() + "/base").build())));
    servlets.put(
        "/plain/*",
        new ProxyServlet(ProxyConfig.builder().targetUri(upstream.uri() + "/base").build()));
    proxy = JettyServer.start("/app", servlets);
  }

  @AfterAll
  static void stop() {
    proxy.close();
    upstream.close();
  }

  @BeforeEach
  void forget() {
    echo.clear();
  }

  private static HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/app" + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theProofIsMadeForTheUpstreamMethodAndUrlAndReplacesTheClients() throws Exception {
    HttpResponse<String> r =
        send("PUT", "/dpop/orders/7?q=1", "DPoP", "a-proof-the-client-made-for-the-app");

    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest seen = echo.take();
    assertThat(seen.header("DPoP"))
        .containsExactly("proof-for PUT " + upstream.uri() + "/base/orders/7?q=1");
  }

  @Test
  void withoutTheAttributeTheRequestIsLeftAlone() throws Exception {
    send("GET", "/plain/x", "DPoP", "client-proof");

    assertThat(echo.take().header("DPoP")).containsExactly("client-proof");
  }
}
