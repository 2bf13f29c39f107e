package dev.oidcgate.bench;

import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** The proxy servlets ours is compared with, each configured as its documentation shows. */
final class Competitors {

  private Competitors() {}

  /** Jetty 12's {@code ProxyServlet.Transparent} (its async client, its defaults). */
  static ServletHolder jetty(String backendUri) {
    ServletHolder holder =
        new ServletHolder(new org.eclipse.jetty.ee10.proxy.ProxyServlet.Transparent());
    holder.setInitParameter("proxyTo", backendUri + "/api");
    holder.setInitParameter("prefix", "/");
    return holder;
  }

  /**
   * Jetty 12's {@code AsyncProxyServlet.Transparent}: the same with servlet async I/O for both
   * bodies, so that the comparison is with the better of Jetty's two.
   */
  static ServletHolder jettyAsync(String backendUri) {
    ServletHolder holder =
        new ServletHolder(new org.eclipse.jetty.ee10.proxy.AsyncProxyServlet.Transparent());
    holder.setInitParameter("proxyTo", backendUri + "/api");
    holder.setInitParameter("prefix", "/");
    holder.setAsyncSupported(true);
    return holder;
  }

  /** mitre's {@code smiley-http-proxy-servlet} 2.0 (Apache HttpClient 4, its defaults). */
  static ServletHolder mitre(String backendUri) {
    ServletHolder holder = new ServletHolder(new org.mitre.dsmiley.httpproxy.ProxyServlet());
    holder.setInitParameter("targetUri", backendUri + "/api");
    holder.setInitParameter("log", "false");
    return holder;
  }
}
