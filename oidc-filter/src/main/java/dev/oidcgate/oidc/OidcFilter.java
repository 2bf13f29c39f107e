package dev.oidcgate.oidc;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.steps.RequestPath;
import dev.oidcgate.oidc.web.BackchannelLogoutEndpoint;
import dev.oidcgate.oidc.web.FilterPaths;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet filter. It reads the configuration and builds the request path once at {@code init}
 * ({@link RequestPath}: back-channel logout, strip client-sent identity headers, preflight, script
 * endpoints, logout, callback, credentials and rules, step-up, unauthenticated), then runs each
 * request through it until a step answers: the request goes on as the caller, or the browser is
 * sent to log in, or the error is the answer. Nothing is passed down the chain after a response was
 * written.
 *
 * <p>Configure it with init-params (see {@code docs/configuration.md}) or construct it with an
 * {@link OidcConfig} for programmatic registration. One instance serves all requests concurrently.
 */
public final class OidcFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(OidcFilter.class);

  private final @Nullable OidcConfig givenConfig;
  private volatile @Nullable IssuerGates gates;

  // Set by init(): the container sends no request before it.
  @SuppressWarnings("NullAway.Init")
  private volatile RequestPath path;

  @SuppressWarnings("NullAway.Init")
  private volatile SafeEvents events;

  private volatile boolean timed;

  /** For {@code web.xml}: the configuration comes from the init-params. */
  public OidcFilter() {
    this.givenConfig = null;
  }

  /** For programmatic registration: init-params are then not read. */
  public OidcFilter(OidcConfig config) {
    this.givenConfig = config;
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    OidcConfig config = givenConfig;
    try {
      if (config == null) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
          params.put(name, filterConfig.getInitParameter(name));
        }
        config = OidcConfig.fromInitParams(params);
      }
      this.gates = IssuerGates.start(config);
      // with the provider profile the discovery document named, if any
      config = gates.main().config();
    } catch (OidcConfigException e) {
      LOG.error(
          "OIDC filter '{}' is misconfigured: {}", filterConfig.getFilterName(), e.getMessage());
      throw new ServletException("OIDC filter configuration: " + e.getMessage());
    }
    String contextPath = filterConfig.getServletContext().getContextPath();
    FilterRegistration registration =
        filterConfig.getServletContext().getFilterRegistration(filterConfig.getFilterName());
    Collection<String> patterns =
        registration == null ? List.of() : registration.getUrlPatternMappings();
    FilterPaths paths =
        FilterPaths.resolve(config.login(), config.logout(), contextPath, patterns)
            .withCallbacksOf(gates.callbackNames());
    BackchannelLogoutEndpoint backchannel =
        BackchannelLogoutEndpoint.resolve(config.cluster(), contextPath, patterns);
    if (config.login().enabled() && !paths.hasConfiguredBase()) {
      LOG.warn(
          "OIDC filter '{}': neither externalUrl nor an absolute redirectUri is set, so redirect"
              + " URIs are built from each request's Host header; set externalUrl to the app's"
              + " public URL (e.g. https://app.example.com) in production",
          filterConfig.getFilterName());
    }
    if (!config.sources().fromEnvironment().isEmpty()) {
      // By key only: the values may be secrets.
      LOG.info(
          "OIDC filter '{}' took {} from {}*",
          filterConfig.getFilterName(),
          String.join(", ", config.sources().fromEnvironment()),
          config.sources().environmentPrefix().orElse(""));
    }
    if (!config.cookies().httpOnly()) {
      LOG.warn(
          "sessionCookieHttpOnly=false: scripts in the page can read the session cookies, which hold tokens");
    }
    this.path = RequestPath.build(gates, paths, backchannel, contextPath, patterns);
    this.events = new SafeEvents(config.extensions().eventListener());
    this.timed = config.extensions().eventListener() != OidcEventListener.NONE;
    LOG.info(
        "OIDC filter '{}' protects {} for issuer {} (provider {}, login {})",
        filterConfig.getFilterName(),
        patterns,
        config.provider().issuer(),
        config.provider().profile().text(),
        config.login().enabled() ? "enabled" : "disabled");
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (!timed) {
      path.serve(request, response, chain);
      return;
    }
    long start = System.nanoTime();
    try {
      path.serve(request, response, chain);
    } finally {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      events.fire(l -> l.requestCompleted(response.getStatus(), elapsed));
    }
  }

  @Override
  public void destroy() {
    IssuerGates current = gates;
    if (current != null) {
      current.close();
    }
    // Counts of failures left out of the log since their last line would be lost otherwise.
    RepeatedFailures.flush();
  }
}
