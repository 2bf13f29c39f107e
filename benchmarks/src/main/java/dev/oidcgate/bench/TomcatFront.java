package dev.oidcgate.bench;

import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.oidc.config.OidcConfig;
import jakarta.servlet.Servlet;
import java.nio.file.Files;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat 11 with BenchServer's {@code /plain} and {@code /route} (filter + proxy), with
 * Tomcat's defaults (NIO connector, 200 threads), or with {@code useVirtualThreads} on the
 * connector (Java 21+): the container the sample WAR runs on, for the virtual-thread comparison.
 */
final class TomcatFront implements AutoCloseable {

  private final Tomcat tomcat;
  private final Connector connector;

  private TomcatFront(Tomcat tomcat, Connector connector) {
    this.tomcat = tomcat;
    this.connector = connector;
  }

  /**
   * @param plain the servlet of {@code /plain}
   * @param proxy the proxy servlet of {@code /route}
   * @param filterConfig the filter in front of {@code /route}
   */
  static TomcatFront start(
      boolean virtualThreads, Servlet plain, Servlet proxy, OidcConfig filterConfig)
      throws Exception {
    Logger.getLogger("org.apache").setLevel(Level.WARNING);
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("bench-tomcat").toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    if (virtualThreads) {
      connector.setProperty("useVirtualThreads", "true");
    }
    tomcat.setConnector(connector);
    add(tomcat, "/plain", plain, null);
    add(tomcat, "/route", proxy, filterConfig);
    tomcat.start();
    return new TomcatFront(tomcat, connector);
  }

  int port() {
    return connector.getLocalPort();
  }

  private static void add(Tomcat tomcat, String path, Servlet servlet, OidcConfig filterConfig) {
    Context context = tomcat.addContext(path, null);
    Tomcat.addServlet(context, "servlet", servlet).setLoadOnStartup(0);
    context.addServletMappingDecoded("/*", "servlet");
    if (filterConfig != null) {
      FilterDef filter = new FilterDef();
      filter.setFilterName("oidc");
      filter.setFilter(new OidcFilter(filterConfig));
      context.addFilterDef(filter);
      FilterMap map = new FilterMap();
      map.setFilterName("oidc");
      map.addURLPattern("/*");
      context.addFilterMap(map);
    }
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }
}
