package dev.oidcgate.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * client → ProxyServlet in a real Jetty ({@code /app} context) → a real upstream Jetty, on
 * ephemeral ports of 127.0.0.1. The upstream serves {@link EchoServlet} at {@code /*} plus the
 * special servlets of {@link UpstreamServlets}. Each proxy route is one ProxyServlet instance at
 * {@code /NAME/*}.
 */
final class ProxyChain implements AutoCloseable {

  final EchoServlet echo = new EchoServlet();
  final UpstreamServlets.Bytes bytes = new UpstreamServlets.Bytes();
  final UpstreamServlets.Sse sse = new UpstreamServlets.Sse();
  final JettyServer upstream;
  final JettyServer proxy;
  final Map<String, ProxyServlet> routes = new LinkedHashMap<>();
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param routes route name to a function that completes the route's configuration; the builder
   *     already targets the upstream's root
   */
  ProxyChain(Map<String, UnaryOperator<ProxyConfigBuilder>> routes) throws Exception {
    upstream =
        JettyServer.start(
            "",
            Map.of(
                "/*", echo,
                "/bytes/*", bytes,
                "/sse", sse,
                "/slow/*", new UpstreamServlets.Slow(),
                "/truncated", new UpstreamServlets.Truncated()));
    Map<String, ProxyServlet> servlets = new LinkedHashMap<>();
    routes.forEach(
        (name, configure) -> {
          ProxyConfig config =
              configure.apply(ProxyConfig.builder().targetUri(upstream.uri().toString())).build();
          servlets.put("/" + name + "/*", new ProxyServlet(config));
          this.routes.put(name, servlets.get("/" + name + "/*"));
        });
    proxy = JettyServer.start("/app", servlets);
  }

  /** {@code http://127.0.0.1:proxyPort/app/ROUTE + rawPathAndQuery}, exactly as given. */
  URI via(String route, String rawPathAndQuery) {
    return URI.create("http://127.0.0.1:" + proxy.port() + "/app/" + route + rawPathAndQuery);
  }

  @Override
  public void close() {
    try {
      proxy.close();
    } finally {
      upstream.close();
    }
  }
}
