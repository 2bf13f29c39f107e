package dev.oidcgate.oidc.token;

import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checks every access token's claims must pass, wherever they came from (a verified JWT or an
 * introspection response): issuer, audience, time window, and that the token is not an ID, logout
 * or refresh token. Immutable and thread-safe.
 */
final class TokenClaimChecks {

  private static final Set<String> REFRESH_TOKEN_TYPES =
      Set.of("refresh_token", "urn:ietf:params:oauth:token-type:refresh_token");

  private final IssuerRule issuer;
  private final List<String> audiences;
  private final ClaimPath audienceClaim;
  private final Map<String, String> requiredClaims;
  private final Clock clock;
  private final Duration skew;

  /**
   * @param requiredClaims claims an access token must carry with exactly these string values (a
   *     provider's own marking, such as Cognito's {@code token_use: access})
   */
  TokenClaimChecks(
      IssuerRule issuer,
      List<String> audiences,
      ClaimPath audienceClaim,
      Map<String, String> requiredClaims,
      Clock clock,
      Duration skew) {
    this.issuer = issuer;
    this.audiences = List.copyOf(audiences);
    this.audienceClaim = audienceClaim;
    this.requiredClaims = Map.copyOf(requiredClaims);
    this.clock = clock;
    this.skew = skew;
  }

  /**
   * @param requireAll whether {@code iss}, {@code exp} and the audience must be present (true for
   *     JWTs; an introspection response may leave them out)
   * @return the expiry, or null when there is none (only possible when not {@code requireAll})
   */
  @Nullable Instant check(Map<String, Object> claims, boolean requireAll)
      throws OidcErrorException {
    if (!issuer.accepts(claims, requireAll)) {
      throw OidcErrors.invalidToken("The token was not issued by the expected issuer");
    }
    Object aud = audienceClaim.resolve(claims);
    if (aud == null ? requireAll : !containsAudience(aud)) {
      throw OidcErrors.invalidToken("The token is not meant for this audience");
    }
    refuseIdAndLogoutTokens(claims);
    refuseRefreshTokens(claims);
    for (Map.Entry<String, String> required : requiredClaims.entrySet()) {
      if (!required.getValue().equals(claims.get(required.getKey()))) {
        throw OidcErrors.invalidToken("The token is not an access token of this provider");
      }
    }

    Instant now = clock.instant();
    Instant exp = seconds(claims, "exp");
    if (exp == null && requireAll) {
      throw OidcErrors.invalidToken("The token has no expiry");
    }
    if (exp != null && now.isAfter(exp.plus(skew))) {
      throw OidcErrors.invalidToken("The token has expired");
    }
    Instant nbf = seconds(claims, "nbf");
    if (nbf != null && now.plus(skew).isBefore(nbf)) {
      throw OidcErrors.invalidToken("The token is not valid yet");
    }
    Instant iat = seconds(claims, "iat");
    if (iat != null && now.plus(skew).isBefore(iat)) {
      throw OidcErrors.invalidToken("The token was issued in the future");
    }
    return exp;
  }

  private boolean containsAudience(Object aud) {
    if (aud instanceof String) {
      return audiences.contains(aud);
    }
    if (aud instanceof Collection) {
      for (Object a : (Collection<?>) aud) {
        if (audiences.contains(a)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * An ID token or logout token is never an access token (SECURITY.md). Providers mark them in
   * different ways: OIDC's {@code nonce}/{@code at_hash}/{@code c_hash}, Cognito's {@code
   * token_use}, Keycloak's {@code typ} claim, a logout token's {@code events}.
   */
  private static void refuseIdAndLogoutTokens(Map<String, Object> claims)
      throws OidcErrorException {
    boolean idToken =
        claims.containsKey("nonce")
            || claims.containsKey("at_hash")
            || claims.containsKey("c_hash")
            || claims.containsKey("s_hash")
            || "id".equals(claims.get("token_use"))
            || "ID".equals(claims.get("typ"));
    if (idToken) {
      throw OidcErrors.invalidToken("An ID token is not an access token");
    }
    if (claims.containsKey("events") || "Logout".equals(claims.get("typ"))) {
      throw OidcErrors.invalidToken("A logout token is not an access token");
    }
  }

  /**
   * A refresh token is never an access token: an introspection endpoint answers {@code active} for
   * both (RFC 7662 §2.2 {@code token_type}; Ory Hydra's {@code token_use}; Keycloak's {@code typ}
   * {@code Refresh} and {@code Offline}), and a refresh token lives far longer.
   */
  private static void refuseRefreshTokens(Map<String, Object> claims) throws OidcErrorException {
    Object tokenType = claims.get("token_type");
    boolean refresh =
        tokenType instanceof String
                && REFRESH_TOKEN_TYPES.contains(((String) tokenType).toLowerCase(Locale.ROOT))
            || "refresh_token".equals(claims.get("token_use"))
            || "Refresh".equals(claims.get("typ"))
            || "Offline".equals(claims.get("typ"));
    if (refresh) {
      throw OidcErrors.invalidToken("A refresh token is not an access token");
    }
  }

  private static @Nullable Instant seconds(Map<String, Object> claims, String name)
      throws OidcErrorException {
    Object value = claims.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Number) {
      return Instant.ofEpochSecond(((Number) value).longValue());
    }
    if (value instanceof java.util.Date) {
      return ((java.util.Date) value).toInstant();
    }
    throw OidcErrors.invalidToken("The token's " + name + " is not a number");
  }
}
