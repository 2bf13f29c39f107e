package dev.oidcgate.spring.boot;

import dev.oidcgate.proxy.ProxyServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.List;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/**
 * The proxy servlets of {@code oidc-gate.routes.*}, one {@link ServletRegistrationBean} each,
 * registered together when the embedded container starts.
 */
public final class OidcGateRoutes implements ServletContextInitializer {

  private final List<ServletRegistrationBean<ProxyServlet>> servlets;

  OidcGateRoutes(List<ServletRegistrationBean<ProxyServlet>> servlets) {
    this.servlets = List.copyOf(servlets);
  }

  /** Each route's registration, in the order the properties name them. */
  public List<ServletRegistrationBean<ProxyServlet>> servlets() {
    return servlets;
  }

  @Override
  public void onStartup(ServletContext servletContext) throws ServletException {
    for (ServletRegistrationBean<ProxyServlet> servlet : servlets) {
      servlet.onStartup(servletContext);
    }
  }
}
