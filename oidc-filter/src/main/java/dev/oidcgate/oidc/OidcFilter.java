package dev.oidcgate.oidc;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.config.UnauthenticatedAction;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.web.BackchannelLogoutEndpoint;
import dev.oidcgate.oidc.web.CrossSiteLogout;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.IdentityRequest;
import dev.oidcgate.oidc.web.IssuerChooser;
import dev.oidcgate.oidc.web.LoginResponses;
import dev.oidcgate.oidc.web.OtherBearerSources;
import dev.oidcgate.oidc.web.OwnCookies;
import dev.oidcgate.oidc.web.PathParts;
import dev.oidcgate.oidc.web.ServletSessionCookies;
import dev.oidcgate.oidc.web.StepUpCheck;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet filter. It only coordinates, in this order: strip client-sent identity headers;
 * finish a login at the callback or end a session at the logout path; find a credential (the
 * session cookie, then {@code Authorization: Bearer}); let {@link OidcGate} decide; then pass the
 * request on as the caller, or send the browser to log in, or answer with the error. Nothing is
 * passed down the chain after a response was written.
 *
 * <p>Configure it with init-params (see {@code docs/configuration.md}) or construct it with an
 * {@link OidcConfig} for programmatic registration. One instance serves all requests concurrently.
 */
public final class OidcFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(OidcFilter.class);

  private final OidcConfig givenConfig;
  private volatile Credentials credentials;
  private volatile OidcGate gate;
  private volatile IssuerGates gates;
  private volatile ErrorResponder errors;
  private volatile FilterPaths paths;
  private volatile BackchannelLogoutEndpoint backchannel;
  private volatile ServletSessionCookies.Settings cookieSettings;
  private volatile OwnCookies ownCookies;
  private volatile PathParts parts;
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
      this.gate = gates.main();
      config = gate.config(); // with the provider profile the discovery document named, if any
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
    this.paths = FilterPaths.resolve(config.login(), config.logout(), contextPath, patterns);
    this.backchannel = BackchannelLogoutEndpoint.resolve(config.cluster(), contextPath, patterns);
    if (config.login().enabled() && !paths.hasConfiguredBase()) {
      LOG.warn(
          "OIDC filter '{}': neither externalUrl nor an absolute redirectUri is set, so redirect"
              + " URIs are built from each request's Host header; set externalUrl to the app's"
              + " public URL (e.g. https://app.example.com) in production",
          filterConfig.getFilterName());
    }
    this.cookieSettings =
        ServletSessionCookies.Settings.of(config.cookies(), contextPath, paths.isPublicHttps());
    if (!config.cookies().httpOnly()) {
      LOG.warn(
          "sessionCookieHttpOnly=false: scripts in the page can read the session cookies, which hold tokens");
    }
    this.ownCookies = new OwnCookies(config.cookies().name());
    this.errors = new ErrorResponder(config.access().realm());
    this.parts = PathParts.create(config, contextPath, patterns);
    this.events = new SafeEvents(config.extensions().eventListener());
    this.timed = config.extensions().eventListener() != OidcEventListener.NONE;
    this.credentials =
        new Credentials(
            gates,
            config.login().credentials(),
            gate.login().isPresent(),
            new OtherBearerSources(config.login()));
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
      filter(request, response, chain);
      return;
    }
    long start = System.nanoTime();
    try {
      filter(request, response, chain);
    } finally {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      events.fire(l -> l.requestCompleted(response.getStatus(), elapsed));
    }
  }

  private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    OidcGate current = gate;
    if (current.backchannelLogout().isPresent() && backchannel.matches(request)) {
      // Server to server: no cookies, no identity, never passed down the chain.
      backchannel.handle(request, response, gates::backchannelLogout);
      return;
    }
    IdentityRequest stripped =
        IdentityRequest.stripped(
            request, current.config().upstream().identityHeaders(), ownCookies);
    ServletSessionCookies cookies = new ServletSessionCookies(request, response, cookieSettings);
    Optional<LoginFlow> login = current.login();
    PathParts parts = this.parts;
    if (parts.policy().isPassingPreflight(request)) {
      chain.doFilter(stripped, response); // no credential to check; the app answers it
      return;
    }
    if (login.isPresent()
        && parts
            .scripts()
            .handle(request, response, login.get(), gates.namedLogins(), cookies, paths, errors)) {
      return;
    }
    try {
      if (login.isPresent() && paths.isLogout(request)) {
        if (CrossSiteLogout.isCrossSite(request, paths.origin(request))) {
          LOG.debug("Refused a cross-site logout request; asked the person to confirm");
          CrossSiteLogout.askToConfirm(response, request.getRequestURI());
          return;
        }
        Optional<IssuerGates.Signed> session = gates.stored(cookies);
        LoginFlow flow = session.map(s -> s.gate().login().get()).orElse(login.get());
        Optional<OidcSession> ended = session.map(IssuerGates.Signed::session);
        LoginResponses.redirect(
            response, flow.logout(ended, paths.postLogoutRedirect(request), cookies).toString());
        return;
      }
      if (login.isPresent()
          && paths.isCallback(request)
          && LoginResponses.isAuthorizationResponse(request)) {
        String state = LoginResponses.authorizationResponse(request).get("state");
        finishLogin(gates.forCallback(state, cookies), request, response, cookies);
        return;
      }
    } catch (OidcErrorException e) {
      LoginResponses.errorPage(response, e.error());
      return;
    }
    boolean isPublic = parts.policy().isPublic(request);
    Credentials.Found caller;
    try {
      caller =
          credentials.find(
              stripped,
              request,
              cookies,
              isPublic ? AccessRule.ALLOW_AUTHENTICATED : parts.policy().rule(request));
    } catch (OidcErrorException e) {
      if (isPublic) {
        chain.doFilter(stripped, response); // a public page works for anyone, even then
        return;
      }
      LOG.debug(
          "Refused {} {}: {} ({})",
          request.getMethod(),
          request.getRequestURI(),
          e.error().code(),
          e.error().description());
      errors.write(response, e.error());
      return;
    }
    if (caller != null) {
      StepUpCheck.Decision stepUp =
          isPublic
              ? StepUpCheck.Decision.PASS
              : parts.stepUps().check(request, caller.caller(), caller.session(), cookies);
      if (stepUp.passes()) {
        chain.doFilter(stripped.authenticated(caller.caller()), response);
      } else if (stepUp.loginAgain() != null && login.isPresent()) {
        parts.loginAgain(login.get(), request, response, paths, cookies, stepUp, errors);
      } else {
        parts.refuse(response, stepUp, errors, cookies);
      }
      return;
    }
    UnauthenticatedAction action = current.config().login().unauthenticatedAction();
    if (action == UnauthenticatedAction.PASS || isPublic) {
      chain.doFilter(stripped, response);
    } else if (action == UnauthenticatedAction.REDIRECT
        && login.isPresent()
        && LoginResponses.isBrowserNavigation(request)) {
      try {
        Optional<OidcGate> chosen = gates.forLogin(request);
        if (chosen.isEmpty()) {
          IssuerChooser.write(
              response, current.config().client().loginIssuerParameter(), gates.loginChoices());
          return;
        }
        LoginResponses.redirect(
            response,
            parts
                .loginStart()
                .begin(
                    chosen.get().login().get(),
                    request,
                    LoginResponses.currentUrl(request),
                    paths,
                    cookies));
      } catch (OidcErrorException e) {
        errors.write(response, e.error());
      }
    } else if (action == UnauthenticatedAction.REDIRECT && login.isPresent()) {
      parts.scripts().unauthorized(request, response, paths); // a script: JSON, the login URL
    } else {
      errors.write(response, OidcErrors.missingToken().error());
    }
  }

  private void finishLogin(
      OidcGate issuerGate,
      HttpServletRequest request,
      HttpServletResponse response,
      ServletSessionCookies cookies)
      throws OidcErrorException, IOException {
    LoginFlow login = issuerGate.login().get();
    Map<String, String> params = LoginResponses.authorizationResponse(request);
    Optional<OidcSession> previous;
    try {
      previous = login.sessions().stored(cookies);
    } catch (OidcErrorException e) {
      previous = Optional.empty();
    }
    try {
      LoginFlow.Result result = login.finish(params, previous, cookies);
      gates.endSessionsBesides(issuerGate, cookies);
      LOG.info("Login completed for subject {}", result.session().subject());
      LoginResponses.redirect(response, paths.returnUrl(result.returnUrl()));
    } catch (RuntimeException e) {
      String more = RepeatedFailures.admit(LOG, "login failed unexpectedly", e.getClass());
      if (more != null) {
        LOG.error(
            "Unexpected {} while finishing a login at {}{}",
            e.getClass().getName(),
            e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?",
            more);
      }
      throw OidcErrors.invalidRequest("The login could not be completed");
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
