package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the servlet is set up: init-params as in web.xml, the customizer hook, and the documentation.
 */
@ExtendWith(ProxyServersExtension.class)
class ProxyServletSetupTest {

  @Test
  void badInitParameterMakesTheServletUnavailableNamingTheKey() {
    ProxyServlet servlet = new ProxyServlet();

    assertThatThrownBy(
            () -> servlet.init(config(Map.of("targetUri", "http://u", "connectTimeout", "soon"))))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("connectTimeout: not a duration");
  }

  @Test
  void unknownInitParameterMakesTheServletUnavailableNamingTheKey() {
    ProxyServlet servlet = new ProxyServlet();

    assertThatThrownBy(
            () -> servlet.init(config(Map.of("targetUri", "http://u", "targetURL", "http://v"))))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("targetURL: unknown parameter");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void initParametersConfigureAServletInAContainer(ProxyServers servers) throws Exception {
    EchoServlet echo = new EchoServlet();
    JettyServer upstream = servers.closeAfter(JettyServer.start("", Map.of("/*", echo)));
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(ProxyServlet.class);
    holder.setInitParameter("targetUri", upstream.uri() + "/base");
    holder.setInitParameter("responseTimeout", "10s");
    holder.setInitParameter(
        "upstreamRequestCustomizer", ProxyConfigTest.TagCustomizer.class.getName());
    holder.setInitOrder(1);
    context.addServlet(holder, "/api/*");
    LoopbackJetty server = servers.closeAfter(LoopbackJetty.builder().handler(context).start());
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.url("/api/get?x=1")).build(),
                BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest recorded = echo.take();
    assertThat(recorded.rawUri()).isEqualTo("/base/get?x=1");
    assertThat(recorded.first("X-Customized")).isEqualTo("yes");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void customizerCanExchangeTheTokenOrRefuseTheRequest(ProxyServers servers) throws Exception {
    UpstreamRequestCustomizer exchange =
        (HttpServletRequest client, ClassicHttpRequest upstream) -> {
          String authorization = client.getHeader("Authorization");
          if (authorization == null) {
            throw new ProxyException(401, "Unauthorized: no token to exchange");
          }
          upstream.setHeader("Authorization", "Bearer exchanged-for-upstream");
        };
    Map<String, UnaryOperator<ProxyConfigBuilder>> routes = new LinkedHashMap<>();
    routes.put("api", b -> b.upstreamRequestCustomizer(exchange));
    ProxyChain chain = servers.chain(routes);
    HttpResponse<String> exchanged =
        chain.client.send(
            HttpRequest.newBuilder(chain.via("api", "/x"))
                .header("Authorization", "Bearer caller-token")
                .build(),
            BodyHandlers.ofString());
    HttpResponse<String> refused =
        chain.client.send(
            HttpRequest.newBuilder(chain.via("api", "/x")).build(), BodyHandlers.ofString());

    assertThat(exchanged.statusCode()).isEqualTo(200);
    assertThat(chain.echo.take().header("Authorization"))
        .containsExactly("Bearer exchanged-for-upstream");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).isEqualTo("Unauthorized: no token to exchange\n");
  }

  @Test
  void everyInitParameterIsDocumentedWithItsDefault() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "proxy-servlet.md"));
    Map<String, String> documented = new LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]*) \\|").matcher(docs);
    while (row.find()) {
      documented.put(row.group(1), row.group(2).trim());
    }

    assertThat(documented.keySet()).containsExactlyElementsOf(ProxyConfig.keys());
    ProxyConfig defaults = ProxyConfig.builder().targetUri("http://u").build();
    assertThat(documented.get("connectTimeout"))
        .isEqualTo("`" + seconds(defaults.connectTimeout().getSeconds()) + "`");
    assertThat(documented.get("responseTimeout"))
        .isEqualTo("`" + seconds(defaults.responseTimeout().getSeconds()) + "`");
    assertThat(documented.get("poolTimeout"))
        .isEqualTo("`" + seconds(defaults.poolTimeout().getSeconds()) + "`");
    assertThat(documented.get("idleTimeout"))
        .isEqualTo("`" + seconds(defaults.idleTimeout().getSeconds()) + "`");
    assertThat(documented.get("maxConnections")).isEqualTo("`" + defaults.maxConnections() + "`");
    assertThat(documented.get("preserveHost")).isEqualTo("`" + defaults.preserveHost() + "`");
    assertThat(documented.get("realIpHeader")).isEqualTo("`" + defaults.realIpHeader() + "`");
  }

  private static String seconds(long s) {
    return s + "s";
  }

  private static ServletConfig config(Map<String, String> params) {
    return new ServletConfig() {
      @Override
      public String getServletName() {
        return "proxy";
      }

      @Override
      public ServletContext getServletContext() {
        return null;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }
}
