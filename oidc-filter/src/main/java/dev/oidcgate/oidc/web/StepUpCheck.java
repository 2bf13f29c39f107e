package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.authz.StepUp;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Step-up: where a path rule asks for {@code acr_values} or {@code max_age}, checks the caller's
 * {@code acr} and {@code auth_time}. A session that falls short is sent (a page load) to log in
 * again with those values, or (a script) gets the JSON 401 with the login URL; a bearer token gets
 * 401 {@code insufficient_user_authentication} (RFC 9470). A login that came back and still falls
 * short is refused with 403 rather than sent round again: a short-lived marker cookie remembers
 * when the step-up began. Immutable and thread-safe.
 */
public final class StepUpCheck {

  private final RequestPolicy policy;
  private final Clock clock;
  private final Duration leeway;
  private final Duration loginTimeout;
  private final String markerCookie;

  public StepUpCheck(
      RequestPolicy policy,
      Clock clock,
      Duration leeway,
      Duration loginTimeout,
      String sessionCookieName) {
    this.policy = policy;
    this.clock = clock;
    this.leeway = leeway;
    this.loginTimeout = loginTimeout;
    // Under the session cookie's name, so OwnCookies hides it from the app like the chunks.
    this.markerCookie = sessionCookieName + ".stepup";
  }

  /**
   * @param session the session the caller came from; null for a bearer token
   * @return the error to answer with, or empty when the request may go on; a redirect to log in
   *     again has then been sent when {@code redirected} is set
   */
  public Decision check(
      HttpServletRequest request,
      Caller caller,
      @Nullable OidcSession session,
      SessionCookies cookies) {
    Instant now = clock.instant();
    StepUp demand = null;
    Optional<String> unmet = Optional.empty();
    // Usually one demand; two when an allowed override header names a method with its own line.
    List<StepUp> demands = policy.stepUps(request);
    for (int i = 0; i < demands.size() && unmet.isEmpty(); i++) {
      demand = demands.get(i);
      unmet = demand.unmet(caller.principal().claims(), now, leeway);
    }
    if (unmet.isEmpty()) {
      return Decision.PASS;
    }
    if (session == null) {
      return new Decision(
          new OidcError(401, "insufficient_user_authentication", unmet.get()), null);
    }
    Optional<Instant> began = cookies.get(markerCookie).flatMap(StepUpCheck::epochSecond);
    if (began.isPresent() && session.createdAt().isAfter(began.get())) {
      return new Decision(
          new OidcError(
              403,
              "insufficient_user_authentication",
              "The identity provider did not confirm the required authentication"),
          null);
    }
    cookies.set(
        markerCookie,
        Long.toString(now.getEpochSecond()),
        loginTimeout,
        SessionCookies.Reach.CROSS_SITE_NAVIGATION);
    return new Decision(null, demand);
  }

  /**
   * Forgets a step-up that came back short, so the next attempt logs in again. Call it after the
   * error is written ({@link ErrorResponder} resets the response, headers included).
   */
  public void forget(SessionCookies cookies) {
    if (cookies.get(markerCookie).isPresent()) {
      cookies.clear(markerCookie);
    }
  }

  private static Optional<Instant> epochSecond(String value) {
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * @param error the error to answer with, or null
   * @param loginAgain the demand to log in again with (a session that falls short), or null
   */
  public record Decision(@Nullable OidcError error, @Nullable StepUp loginAgain) {
    public static final Decision PASS = new Decision(null, null);

    public boolean passes() {
      return error == null && loginAgain == null;
    }
  }
}
