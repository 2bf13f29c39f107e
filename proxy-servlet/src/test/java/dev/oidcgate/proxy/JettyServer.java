package dev.oidcgate.proxy;

import jakarta.servlet.Servlet;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real embedded Jetty 12 on an ephemeral port of 127.0.0.1 with servlets at given mappings. It
 * lets through the ambiguous URIs Jetty rejects by default ({@code %2F}, {@code %2e%2e}, ...), so
 * the tests see what the proxy itself does with them.
 */
final class JettyServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final String contextPath;

  private JettyServer(Server server, ServerConnector connector, String contextPath) {
    this.server = server;
    this.connector = connector;
    this.contextPath = contextPath;
  }

  static JettyServer start(String contextPath, Map<String, ? extends Servlet> servlets)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty" + contextPath.replace('/', '-'));
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(contextPath);
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    servlets.forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
    server.setHandler(context);
    server.start();
    return new JettyServer(server, connector, contextPath);
  }

  int port() {
    return connector.getLocalPort();
  }

  /** {@code http://127.0.0.1:port/context} */
  URI uri() {
    return URI.create("http://127.0.0.1:" + port() + contextPath);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }
}
