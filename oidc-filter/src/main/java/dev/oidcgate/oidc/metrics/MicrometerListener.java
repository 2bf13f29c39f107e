package dev.oidcgate.oidc.metrics;

import dev.oidcgate.oidc.events.OidcEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The filter's events as Micrometer counters, for operators to graph: {@code oidc.gate.logins} (tag
 * {@code outcome}: {@code success}, {@code failure}), {@code oidc.gate.refreshes} (the same),
 * {@code oidc.gate.refusals} (tag {@code reason}: the RFC 6750 error code a bearer token was
 * refused with, or {@code insufficient_scope} for an access-rule denial), {@code
 * oidc.gate.logouts}, {@code oidc.gate.key.fetches} (tag {@code outcome}: {@code success}, {@code
 * failure}), {@code oidc.gate.introspections} (tag {@code outcome}: {@code active}, {@code
 * inactive}, {@code failed}), and the timer {@code oidc.gate.requests} (tag {@code status}: {@code
 * 2xx}, {@code 3xx}, ...). Tags come from fixed sets only, never from a subject or a free-text
 * reason, so the number of series stays bounded whatever callers send. Micrometer is an optional
 * dependency: this class is loaded only when {@code metrics=micrometer}. Thread-safe.
 */
public final class MicrometerListener implements OidcEventListener {

  private final MeterRegistry registry;
  private final Counter loginSuccess;
  private final Counter loginFailure;
  private final Counter refreshSuccess;
  private final Counter refreshFailure;
  private final Counter logouts;
  private final Counter keyFetchSuccess;
  private final Counter keyFetchFailure;

  public MicrometerListener(MeterRegistry registry) {
    this.registry = registry;
    this.loginSuccess = outcome("oidc.gate.logins", "success", "Browser logins");
    this.loginFailure = outcome("oidc.gate.logins", "failure", "Browser logins");
    this.refreshSuccess = outcome("oidc.gate.refreshes", "success", "Session token refreshes");
    this.refreshFailure = outcome("oidc.gate.refreshes", "failure", "Session token refreshes");
    this.logouts =
        Counter.builder("oidc.gate.logouts").description("Sessions ended").register(registry);
    this.keyFetchSuccess = outcome("oidc.gate.key.fetches", "success", "Signing key fetches");
    this.keyFetchFailure = outcome("oidc.gate.key.fetches", "failure", "Signing key fetches");
  }

  /** Counts on Micrometer's global registry, where a Spring Boot or other app's registry joins. */
  public static OidcEventListener global() {
    return new MicrometerListener(Metrics.globalRegistry);
  }

  private Counter outcome(String name, String outcome, String description) {
    return Counter.builder(name)
        .description(description)
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public void loginSucceeded(String issuer, String subject) {
    loginSuccess.increment();
  }

  @Override
  public void loginFailed(String reason) {
    loginFailure.increment();
  }

  @Override
  public void tokenRefreshed(String subject) {
    refreshSuccess.increment();
  }

  @Override
  public void refreshFailed(String subject, String reason) {
    refreshFailure.increment();
  }

  @Override
  public void validationFailed(@Nullable String error, String reason) {
    refusal(error);
  }

  @Override
  public void accessDenied(@Nullable String subject, String reason) {
    refusal("insufficient_scope");
  }

  @Override
  public void loggedOut(String subject) {
    logouts.increment();
  }

  @Override
  public void keysFetched(boolean succeeded) {
    (succeeded ? keyFetchSuccess : keyFetchFailure).increment();
  }

  @Override
  public void introspected(String outcome) {
    String known = "active".equals(outcome) || "inactive".equals(outcome) ? outcome : "failed";
    outcome("oidc.gate.introspections", known, "Introspection calls for opaque tokens").increment();
  }

  @Override
  public void upstreamTokenFetched(String kind, String outcome) {
    Counter.builder("oidc.gate.upstream.tokens")
        .description("Calls to the token endpoint for upstream tokens (exchange, client)")
        .tag("kind", "exchange".equals(kind) ? "exchange" : "client")
        .tag("outcome", "issued".equals(outcome) ? "issued" : "failed")
        .register(registry)
        .increment();
  }

  @Override
  public void requestCompleted(int status, Duration elapsed) {
    Timer.builder("oidc.gate.requests")
        .description("Requests through the filter, by status class, including the app behind")
        .tag("status", (status / 100) + "xx")
        .register(registry)
        .record(elapsed);
  }

  private void refusal(@Nullable String code) {
    Counter.builder("oidc.gate.refusals")
        .description("Requests refused, by OAuth error code")
        .tag("reason", knownCode(code))
        .register(registry)
        .increment();
  }

  /** RFC 6750 and RFC 9470 codes as they are; anything else as {@code other}. */
  private static String knownCode(@Nullable String code) {
    if (code == null) {
      return "invalid_token";
    }
    switch (code) {
      case "invalid_token":
      case "invalid_request":
      case "insufficient_scope":
      case "insufficient_user_authentication":
      case "temporarily_unavailable":
        return code;
      default:
        return "other";
    }
  }
}
