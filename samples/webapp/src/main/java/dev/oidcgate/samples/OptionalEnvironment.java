package dev.oidcgate.samples;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Passes the optional environment variables {@code OIDC_REDIRECT_URI} and {@code OIDC_SESSION_SECRET}
 * to the {@code oidc-route} filter as its {@code redirectUri} and {@code sessionSecret}, when they are
 * set and not empty; unset, the filter's defaults apply.
 *
 * <p>Why not {@code ${env:OIDC_REDIRECT_URI:-}} in {@code web.xml}: Tomcat replaces
 * {@code ${name:-default}} in every XML file it reads, {@code web.xml} included, with the system
 * property {@code name} or else the default, before the filter sees the value. The optional variables
 * would always come out empty on Tomcat. The required ones ({@code ${env:NAME}}, no default) are left
 * alone by Tomcat and resolved by the filter.
 *
 * <p>Runs before any filter starts (listeners come first); setting an init-parameter is allowed until
 * the context has started.
 */
public final class OptionalEnvironment implements ServletContextListener {

  static final String FILTER = "oidc-route";
  static final Map<String, String> VARIABLES = Map.of(
      "OIDC_REDIRECT_URI", "redirectUri",
      "OIDC_SESSION_SECRET", "sessionSecret");

  private final UnaryOperator<String> env;

  public OptionalEnvironment() {
    this(System::getenv);
  }

  OptionalEnvironment(UnaryOperator<String> env) {
    this.env = env;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    FilterRegistration filter = context.getFilterRegistration(FILTER);
    if (filter == null) {
      throw new IllegalStateException("web.xml declares no filter named " + FILTER);
    }
    for (Map.Entry<String, String> e : VARIABLES.entrySet()) {
      String value = env.apply(e.getKey());
      if (value == null || value.isBlank()) {
        continue;
      }
      if (!filter.setInitParameter(e.getValue(), value.strip())) {
        throw new IllegalStateException("filter " + FILTER + " already has " + e.getValue()
            + " in web.xml; set it there or through " + e.getKey() + ", not both");
      }
      context.log("Filter " + FILTER + ": " + e.getValue() + " from " + e.getKey()); // never the value
    }
  }
}
