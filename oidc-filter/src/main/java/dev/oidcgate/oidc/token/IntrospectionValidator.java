package dev.oidcgate.oidc.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.idp.IdpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Validates an opaque access token by asking the provider (RFC 7662). The token must be {@code
 * active} and not a refresh token; issuer, audience and expiry are checked where the response
 * carries them ({@link TokenClaimChecks}). The result may be reused for at most {@code maxReuse}
 * and never after the token expires.
 *
 * <p>Made-up tokens cost the provider as little as possible: a refusal is remembered for {@code
 * refusalTtl} (by the token's SHA-256, never the token), concurrent requests with the same token
 * share one call, and at most {@code maxConcurrent} calls are in flight; beyond that a request is
 * answered 503 at once rather than queued. The calls go through the client given here, which should
 * have connections of its own, so a flood of opaque tokens cannot hold the connections that logins
 * and key fetches need. Thread-safe.
 */
public final class IntrospectionValidator implements AccessTokenValidator {

  /** Where to introspect; {@code null} when opaque tokens cannot be checked. */
  @FunctionalInterface
  public interface Endpoint {
    @Nullable URI uri() throws OidcErrorException;
  }

  /**
   * @param maxReuse the longest an accepted token's result is reused
   * @param refusalTtl how long a refused token is refused without asking again; zero for never
   * @param maxConcurrent the most calls in flight at once
   * @param cacheSize the most refusals remembered
   */
  public record Limits(Duration maxReuse, Duration refusalTtl, int maxConcurrent, int cacheSize) {
    public Limits {
      Objects.requireNonNull(maxReuse);
      Objects.requireNonNull(refusalTtl);
    }
  }

  private record Refusal(OidcError error, Instant until) {}

  private final Endpoint endpoint;
  private final IdpClient client;
  private final TokenClaimChecks checks;
  private final Clock clock;
  private final Limits limits;
  private final Semaphore calls;
  private final Cache<TokenHash, Refusal> refusals;
  private final Map<TokenHash, CompletableFuture<VerifiedToken>> inFlight =
      new ConcurrentHashMap<>();
  private final Consumer<String> called;

  /**
   * @param called hears each call's outcome: {@code active}, {@code inactive} or {@code failed}
   */
  IntrospectionValidator(
      Endpoint endpoint,
      IdpClient client,
      TokenClaimChecks checks,
      Clock clock,
      Limits limits,
      Consumer<String> called) {
    this.called = called;
    this.endpoint = endpoint;
    this.client = client;
    this.checks = checks;
    this.clock = clock;
    this.limits = limits;
    this.calls = new Semaphore(limits.maxConcurrent());
    // Expiry here only frees memory; a hit is checked against the clock.
    this.refusals =
        Caffeine.newBuilder()
            .maximumSize(limits.cacheSize())
            .expireAfterWrite(limits.refusalTtl())
            .build();
  }

  @Override
  public VerifiedToken validate(String token) throws OidcErrorException {
    URI uri = endpoint.uri();
    if (uri == null) {
      throw OidcErrors.invalidToken("Opaque tokens are not accepted here");
    }
    TokenHash key = TokenHash.of(token);
    Refusal refused = refusals.getIfPresent(key);
    if (refused != null && clock.instant().isBefore(refused.until())) {
      throw new OidcErrorException(refused.error());
    }
    CompletableFuture<VerifiedToken> mine = new CompletableFuture<>();
    CompletableFuture<VerifiedToken> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return outcomeOf(running);
    }
    try {
      VerifiedToken verified = introspect(uri, token, key);
      mine.complete(verified);
      return verified;
    } catch (OidcErrorException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
      mine.completeExceptionally(new IllegalStateException("introspection ended abnormally"));
    }
  }

  private VerifiedToken introspect(URI uri, String token, TokenHash key) throws OidcErrorException {
    if (!calls.tryAcquire()) {
      throw OidcErrors.providerUnavailable("Too many tokens are being checked; try again", 1);
    }
    TokenIntrospectionResponse response;
    try {
      response = client.introspect(uri, token);
    } catch (OidcErrorException | RuntimeException e) {
      called.accept("failed");
      throw e;
    } finally {
      calls.release();
    }
    try {
      VerifiedToken verified = verdict(response.toSuccessResponse());
      called.accept("active");
      return verified;
    } catch (OidcErrorException e) {
      called.accept(e.error().status() == 401 ? "inactive" : "failed");
      if (e.error().status() == 401 && !limits.refusalTtl().isZero()) {
        refusals.put(key, new Refusal(e.error(), clock.instant().plus(limits.refusalTtl())));
      }
      throw e;
    }
  }

  private VerifiedToken verdict(TokenIntrospectionSuccessResponse success)
      throws OidcErrorException {
    if (!success.isActive()) {
      throw OidcErrors.invalidToken("The token is not active");
    }
    Map<String, Object> claims = success.toJSONObject();
    Instant exp = checks.check(claims, false);
    Instant reuseLimit = clock.instant().plus(limits.maxReuse());
    Instant reuseUntil = exp == null || exp.isAfter(reuseLimit) ? reuseLimit : exp;
    return new VerifiedToken(claims, exp, reuseUntil);
  }

  /** Waits for another request's call with the same token; its call is bounded by timeouts. */
  private static VerifiedToken outcomeOf(CompletableFuture<VerifiedToken> running)
      throws OidcErrorException {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof OidcErrorException) {
        throw (OidcErrorException) e.getCause();
      }
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }
}
