package dev.oidcgate.oidc.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The resource server's whole check of a bearer token: size and syntax first, then a cache of
 * recent verdicts, then local JWT verification or introspection for anything that is not a JWS.
 *
 * <p>The cache is keyed by the token's SHA-256, so it holds no usable tokens, and a hit is checked
 * against the clock again, so no entry outlives its token whatever the cache's own timing. Only
 * successes are cached here; {@link IntrospectionValidator} remembers its refusals briefly itself.
 * Thread-safe.
 */
public final class BearerTokenValidator implements AccessTokenValidator {

  private final AccessTokenValidator jwt;
  private final AccessTokenValidator opaque;
  private final int maxLength;
  private final Clock clock;
  private final Cache<String, VerifiedToken> verdicts;

  /**
   * @param jwt validates tokens that look like a JWS (three dot-separated parts)
   * @param opaque validates every other token
   */
  public BearerTokenValidator(
      AccessTokenValidator jwt,
      AccessTokenValidator opaque,
      int maxLength,
      int cacheSize,
      Clock clock) {
    this.jwt = jwt;
    this.opaque = opaque;
    this.maxLength = maxLength;
    this.clock = clock;
    this.verdicts =
        Caffeine.newBuilder()
            .maximumSize(cacheSize)
            .expireAfter(
                new Expiry<String, VerifiedToken>() {
                  @Override
                  public long expireAfterCreate(String key, VerifiedToken value, long currentTime) {
                    return nanosUntil(value.reuseUntil());
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, VerifiedToken value, long currentTime, long currentDuration) {
                    return nanosUntil(value.reuseUntil());
                  }

                  @Override
                  public long expireAfterRead(
                      String key, VerifiedToken value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  @Override
  public VerifiedToken validate(String token) throws OidcErrorException {
    if (token.length() > maxLength) {
      throw OidcErrors.invalidToken("The token is too long");
    }
    if (!isB64Token(token)) {
      throw OidcErrors.invalidToken("The token is malformed");
    }
    String key = TokenHash.of(token);
    VerifiedToken cached = verdicts.getIfPresent(key);
    if (cached != null) {
      if (clock.instant().isBefore(cached.reuseUntil())) {
        return cached;
      }
      verdicts.invalidate(key);
    }
    VerifiedToken verified = looksLikeJws(token) ? jwt.validate(token) : opaque.validate(token);
    verdicts.put(key, verified);
    return verified;
  }

  private long nanosUntil(Instant until) {
    Duration left = Duration.between(clock.instant(), until);
    return left.isNegative() ? 0 : left.toNanos();
  }

  /**
   * RFC 6750 §2.1 {@code b64token}: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" )
   * *"="}. A loop, not a regular expression: this runs on every request over the whole token, and
   * the equivalent {@code Pattern} took half the CPU of validating a token already seen.
   */
  static boolean isB64Token(String token) {
    int end = token.length();
    while (end > 0 && token.charAt(end - 1) == '=') {
      end--;
    }
    if (end == 0) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = token.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && c != '-' && c != '.' && c != '_' && c != '~' && c != '+' && c != '/') {
        return false;
      }
    }
    return true;
  }

  private static boolean looksLikeJws(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return second > 0 && token.indexOf('.', second + 1) < 0;
  }
}
