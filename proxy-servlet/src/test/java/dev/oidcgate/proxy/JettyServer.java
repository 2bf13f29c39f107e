package dev.oidcgate.proxy;

import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.Servlet;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * A real embedded Jetty 12 on an ephemeral port of 127.0.0.1 with servlets at given mappings. It
 * lets through the ambiguous URIs Jetty rejects by default ({@code %2F}, {@code %2e%2e}, ...), so
 * the tests see what the proxy itself does with them.
 */
final class JettyServer implements AutoCloseable {

  private final LoopbackJetty server;
  private final String contextPath;

  private JettyServer(LoopbackJetty server, String contextPath) {
    this.server = server;
    this.contextPath = contextPath;
  }

  static JettyServer start(String contextPath, Map<String, ? extends Servlet> servlets)
      throws Exception {
    HttpConfiguration http = new HttpConfiguration();
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    ServletContextHandler context = LoopbackJetty.context(contextPath, servlets);
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    return new JettyServer(
        LoopbackJetty.builder()
            .threads(64, 4, "jetty" + contextPath.replace('/', '-'))
            .http(http)
            .handler(context)
            .start(),
        contextPath);
  }

  int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:port/context} */
  URI uri() {
    return server.url(contextPath);
  }

  @Override
  public void close() {
    server.close();
  }
}
