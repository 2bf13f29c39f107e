package dev.oidcgate.oidcprovider;

import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.proxy.ProxyServlet;
import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The sample WAR's shape in Jetty: the filter on {@code /*} of context {@code /app} and the proxy
 * servlet behind it, forwarding to {@code upstream}.
 */
final class ProxiedApp implements AutoCloseable {

  private final LoopbackJetty server;

  ProxiedApp(Map<String, String> filterSettings, URI upstream) throws Exception {
    ServletContextHandler context = new ServletContextHandler("/app");
    FilterHolder filter = new FilterHolder(OidcFilter.class);
    filter.setInitParameters(filterSettings);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder proxy = new ServletHolder(ProxyServlet.class);
    proxy.setInitParameter("targetUri", upstream.toString());
    context.addServlet(proxy, "/*");
    server = LoopbackJetty.builder().handler(context).start();
  }

  URI uri(String path) {
    return server.url("/app" + path);
  }

  @Override
  public void close() {
    server.close();
  }
}
