package dev.oidcgate.oidc.token;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An access token that passed validation: its claims (from the verified JWT, or from the
 * introspection response) and until when the verdict may be reused.
 *
 * @param claims the verified claims as JSON values (strings, numbers, booleans, lists, maps),
 *     unmodifiable
 * @param expiresAt when the token expires, or {@code null} if the provider did not say
 * @param reuseUntil until when this verdict may be served from a cache (never after {@code
 *     expiresAt})
 */
public record VerifiedToken(
    Map<String, Object> claims, @Nullable Instant expiresAt, Instant reuseUntil) {

  public VerifiedToken {
    claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
    Objects.requireNonNull(reuseUntil, "reuseUntil");
  }
}
