package dev.oidcgate.oidc;

import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.web.BearerTokenResolver;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.IdentityRequest;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet filter. It only coordinates: strip spoofed identity headers, find the bearer token, let
 * {@link OidcGate} decide, then pass the request on as the caller, or answer with the error.
 *
 * <p>Configure it with init-params (see {@code docs/configuration.md}) or construct it with an
 * {@link OidcConfig} for programmatic registration. One instance serves all requests concurrently.
 */
public final class OidcFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(OidcFilter.class);

  private final OidcConfig givenConfig;
  private final BearerTokenResolver tokens = new BearerTokenResolver();
  private volatile OidcGate gate;
  private volatile ErrorResponder errors;

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
      this.gate = OidcGate.start(config);
    } catch (OidcConfigException e) {
      LOG.error("OIDC filter '{}' is misconfigured: {}", filterConfig.getFilterName(), e.getMessage());
      throw new ServletException("OIDC filter configuration: " + e.getMessage());
    }
    this.errors = new ErrorResponder(config.realm());
    LOG.info("OIDC filter '{}' protects requests for issuer {}", filterConfig.getFilterName(), config.issuer());
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
    OidcGate current = gate;
    IdentityRequest stripped = IdentityRequest.stripped(request, current.config().identityHeaders());
    Caller caller;
    try {
      caller = authenticate(stripped);
    } catch (OidcErrorException e) {
      LOG.debug("Refused {} {}: {} ({})", request.getMethod(), request.getRequestURI(),
          e.error().code(), e.error().description());
      errors.write(response, e.error());
      return;
    }
    chain.doFilter(stripped.authenticated(caller), response);
  }

  private Caller authenticate(HttpServletRequest request) throws OidcErrorException {
    try {
      String token = tokens.resolve(request);
      if (token == null) {
        throw OidcErrors.missingToken();
      }
      return gate.authenticateBearer(token);
    } catch (RuntimeException e) {
      // A bug must not become a 500 with a stack trace, nor let the request through. The exception's
      // message is left out of the log: library messages sometimes quote the input.
      LOG.error("Unexpected {} while authenticating a request at {}", e.getClass().getName(),
          e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
      throw OidcErrors.invalidToken("The token could not be validated");
    }
  }

  @Override
  public void destroy() {
    OidcGate current = gate;
    if (current != null) {
      current.close();
    }
  }
}
