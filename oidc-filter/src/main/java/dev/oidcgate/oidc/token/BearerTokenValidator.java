package dev.oidcgate.oidc.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The resource server's whole check of a bearer token: size first, then a cache of recent verdicts
 * (keyed so that only a token seen and verified before hits it), then syntax, then local JWT
 * verification or introspection for anything that is not a JWS.
 *
 * <p>The cache is keyed by the token's SHA-256 ({@link TokenHash}), so it holds no usable tokens,
 * and a hit is checked against the clock again, so no entry outlives its token whatever the cache's
 * own timing. Only successes are cached here; {@link IntrospectionValidator} remembers its refusals
 * briefly itself. Thread-safe.
 */
public final class BearerTokenValidator implements AccessTokenValidator {

  /** The ASCII characters of an RFC 6750 b64token before its {@code =} padding, by code. */
  private static final boolean[] B64TOKEN_CHARS = b64TokenChars();

  private final AccessTokenValidator jwt;
  private final AccessTokenValidator opaque;
  private final int maxLength;
  private final Clock clock;
  private final Cache<TokenHash, VerifiedToken> verdicts;

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
            // Maintenance (eviction, expiry) on the caller's thread: each new token is a write, and
            // handing each write's clean-up to a pool thread cost a thread wake-up per new token.
            .executor(Runnable::run)
            .maximumSize(cacheSize)
            .expireAfter(
                new Expiry<TokenHash, VerifiedToken>() {
                  @Override
                  public long expireAfterCreate(
                      TokenHash key, VerifiedToken value, long currentTime) {
                    return nanosUntil(value.reuseUntil());
                  }

                  @Override
                  public long expireAfterUpdate(
                      TokenHash key, VerifiedToken value, long currentTime, long currentDuration) {
                    return nanosUntil(value.reuseUntil());
                  }

                  @Override
                  public long expireAfterRead(
                      TokenHash key, VerifiedToken value, long currentTime, long currentDuration) {
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
    // One copy of the bytes serves the cache key and the syntax check. The check comes after the
    // lookup: UTF-8 maps no two strings to the same bytes, so a hit is a token that passed it
    // before, and skipping it saves a pass over the token on every request that repeats one.
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    TokenHash key = TokenHash.of(bytes);
    VerifiedToken cached = verdicts.getIfPresent(key);
    if (cached != null) {
      if (clock.instant().isBefore(cached.reuseUntil())) {
        return cached;
      }
      verdicts.invalidate(key);
    }
    if (!isB64Token(bytes)) {
      throw OidcErrors.invalidToken("The token is malformed");
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
   * *"="}, over the token's UTF-8 bytes. A loop, not a regular expression: this runs on every
   * request over the whole token, and the equivalent {@code Pattern} took half the CPU of
   * validating a token already seen.
   */
  static boolean isB64Token(byte[] token) {
    int end = token.length;
    while (end > 0 && token[end - 1] == '=') {
      end--;
    }
    if (end == 0) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      int c = token[i]; // negative for every byte of a non-ASCII character
      if (c < 0 || !B64TOKEN_CHARS[c]) {
        return false;
      }
    }
    return true;
  }

  private static boolean[] b64TokenChars() {
    boolean[] allowed = new boolean[128];
    for (char c = 0; c < allowed.length; c++) {
      allowed[c] =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~+/".indexOf(c) >= 0;
    }
    return allowed;
  }

  private static boolean looksLikeJws(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return second > 0 && token.indexOf('.', second + 1) < 0;
  }
}
