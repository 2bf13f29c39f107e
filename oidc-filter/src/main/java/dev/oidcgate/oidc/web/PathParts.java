package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.IssuerNames;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Objects;

/**
 * The filter's per-path parts, built once at start-up: public paths and path rules ({@link
 * RequestPolicy}), step-up ({@link StepUpCheck}), how a login starts ({@link LoginStart}) and what
 * scripts get ({@link ScriptEndpoints}). Immutable and thread-safe.
 */
public record PathParts(
    RequestPolicy policy, LoginStart loginStart, StepUpCheck stepUps, ScriptEndpoints scripts) {

  /**
   * @param config the main issuer's configuration
   * @param urlPatterns the filter's URL patterns, as registered (may be empty)
   */
  public static PathParts create(
      OidcConfig config, String contextPath, Collection<String> urlPatterns) {
    LoginStart loginStart = new LoginStart(config.authorization());
    RequestPolicy policy = new RequestPolicy(config.policy(), IssuerNames.of(config));
    return new PathParts(
        policy,
        loginStart,
        new StepUpCheck(
            policy,
            config.extensions().clock(),
            config.tokens().clockSkew(),
            config.login().loginTimeout(),
            config.cookies().name()),
        ScriptEndpoints.resolve(
            config.scripts(),
            new ScriptEndpoints.Timeouts(
                config.session().idleTimeout(), config.session().maxLifetime()),
            config.access().realm(),
            config.extensions().clock(),
            loginStart,
            contextPath,
            urlPatterns));
  }

  /** Answers with the step-up refusal, and forgets the step-up that came back short. */
  public void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      StepUpCheck.Decision stepUp,
      ErrorResponder errors,
      SessionCookies cookies)
      throws IOException {
    // Only a session can be asked to log in again, so a decision refused here carries its error.
    errors.refuse(request, response, Objects.requireNonNull(stepUp.error()));
    stepUps.forget(cookies);
  }

  /**
   * A session short of a path's step-up: a page load is sent to log in again with the step-up
   * parameters, a script gets the JSON 401 with the login URL.
   */
  public void loginAgain(
      LoginFlow login,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterPaths paths,
      SessionCookies cookies,
      StepUpCheck.Decision stepUp,
      ErrorResponder errors)
      throws IOException {
    if (!LoginResponses.isBrowserNavigation(request)) {
      scripts.unauthorized(request, response, paths);
      return;
    }
    try {
      LoginResponses.redirect(
          response,
          loginStart.begin(
              login,
              request,
              LoginResponses.currentUrl(request),
              paths,
              cookies,
              // StepUpStep calls this only for a decision that asks to log in again.
              Objects.requireNonNull(stepUp.loginAgain()).parameters()));
    } catch (OidcErrorException e) {
      errors.write(response, e.error());
    }
  }
}
