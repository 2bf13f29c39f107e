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

  /** mitre's {@code smiley-http-proxy-servlet} 2.0 (Apache HttpClient 4, its defaults). */
  static ServletHolder mitre(String backendUri) {
    ServletHolder holder = new ServletHolder(new org.mitre.dsmiley.httpproxy.ProxyServlet());
    holder.setInitParameter("targetUri", backendUri + "/api");
    holder.setInitParameter("log", "false");
    return holder;
  }
}
