package dev.oidcgate.oidc.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

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

  /** RFC 6750 §2.1 {@code b64token}. */
  private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

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
    if (!B64TOKEN.matcher(token).matches()) {
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

  private static boolean looksLikeJws(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return second > 0 && token.indexOf('.', second + 1) < 0;
  }
}
