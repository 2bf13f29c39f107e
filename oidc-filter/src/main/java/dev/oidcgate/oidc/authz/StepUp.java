package dev.oidcgate.oidc.authz;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How strong and how recent the login behind a credential must be (OpenID Connect Core §3.1.2.1
 * {@code acr_values} and {@code max_age}; RFC 9470 for bearer tokens): the {@code acr} claim one of
 * {@code acrValues}, the {@code auth_time} claim no older than {@code maxAge}. A session that falls
 * short is sent to log in again with these values; a bearer token gets 401. Immutable.
 *
 * @param acrValues accepted {@code acr} values, in order of preference; empty for any
 * @param maxAge the longest time since the person authenticated; null for any
 */
public record StepUp(Set<String> acrValues, @Nullable Duration maxAge) {

  /** No demand on the login's strength or age. */
  public static final StepUp NONE = new StepUp(Set.of(), null);

  public StepUp {
    acrValues = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(acrValues));
  }

  public boolean isNone() {
    return acrValues.isEmpty() && maxAge == null;
  }

  /**
   * @param claims the caller's verified claims (for a session, the ID token's win)
   * @param leeway the clock skew allowed
   * @return a short reason when the login falls short; empty when it suffices
   */
  public Optional<String> unmet(Map<String, Object> claims, Instant now, Duration leeway) {
    if (!acrValues.isEmpty()) {
      Object acr = claims.get("acr");
      if (!(acr instanceof String) || !acrValues.contains(acr)) {
        return Optional.of("A stronger authentication is required");
      }
    }
    if (maxAge != null) {
      Object authTime = claims.get("auth_time");
      Instant at =
          authTime instanceof Number
              ? epoch((Number) authTime)
              : authTime instanceof java.util.Date ? ((java.util.Date) authTime).toInstant() : null;
      if (at == null || at.plus(maxAge).plus(leeway).isBefore(now)) {
        return Optional.of("A more recent authentication is required");
      }
    }
    return Optional.empty();
  }

  private static Instant epoch(Number n) {
    return Instant.ofEpochSecond(n.longValue());
  }

  /**
   * The authorization request parameters that ask for this: {@code acr_values}, {@code max_age}.
   */
  public Map<String, String> parameters() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (!acrValues.isEmpty()) {
      out.put("acr_values", String.join(" ", acrValues));
    }
    if (maxAge != null) {
      out.put("max_age", Long.toString(maxAge.toSeconds()));
    }
    return out;
  }
}
