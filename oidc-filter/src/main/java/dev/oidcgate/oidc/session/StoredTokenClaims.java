package dev.oidcgate.oidc.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTParser;
import dev.oidcgate.oidc.token.TokenHash;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * The claims of a JWT a session keeps (its ID token, a verified access token), for the requests of
 * that session: they were verified when stored, and a session's every request read them again, the
 * ID token twice (the app's claims, the back-channel logout {@code sid}). Parsed once per token
 * instead, and remembered by the token's SHA-256 ({@link TokenHash}), so no usable token sits in
 * the cache; the claims are a function of the token's bytes alone, so a remembered value is the
 * value a parse would give. Bounded: a miss only costs the parse. Thread-safe.
 */
public final class StoredTokenClaims {

  private static final Cache<TokenHash, Map<String, Object>> PARSED =
      Caffeine.newBuilder()
          .maximumSize(4_096)
          .expireAfterAccess(Duration.ofMinutes(10))
          .executor(Runnable::run)
          .build();

  private StoredTokenClaims() {}

  /**
   * @return the claims as JSON values, unmodifiable
   * @throws ParseException when {@code jwt} is not a JWT
   */
  public static Map<String, Object> of(String jwt) throws ParseException {
    TokenHash key = TokenHash.of(jwt);
    Map<String, Object> claims = PARSED.getIfPresent(key);
    if (claims == null) {
      claims = Collections.unmodifiableMap(JWTParser.parse(jwt).getJWTClaimsSet().toJSONObject());
      PARSED.put(key, claims);
    }
    return claims;
  }
}
