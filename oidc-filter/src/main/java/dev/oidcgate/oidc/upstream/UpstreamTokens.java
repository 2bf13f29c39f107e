package dev.oidcgate.oidc.upstream;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.oidcgate.oidc.cluster.UpstreamTokenRecords;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.TokenSet;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.SessionStoreException;
import dev.oidcgate.oidc.token.TokenHash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the token an upstream should see: the caller's own, none, one exchanged for the upstream's
 * target (RFC 8693, per caller token and target), or the app's own client-credentials token for the
 * target. Fetched tokens are kept until shortly before they expire (a quarter of their lifetime, at
 * most 30 s, earlier), and one fetch serves every request that wants the same token meanwhile
 * (single flight). A cache entry is found only by the SHA-256 of the caller's token together with
 * the whole target, so one caller's exchanged token never serves another caller or another target.
 * A failure is a 502 for the caller, never the caller's own token instead. Thread-safe.
 */
public final class UpstreamTokens {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamTokens.class);

  /** The longest a token is used before its expiry, when it lives long enough for that. */
  static final Duration MAX_MARGIN = Duration.ofSeconds(30);

  /** How long a token whose lifetime is unknown (no expires_in, not a JWT) is reused. */
  static final Duration UNKNOWN_LIFETIME_REUSE = Duration.ofSeconds(60);

  private static final int MAX_EXCHANGED = 10_000;
  private static final int MAX_CLIENT = 1_000;

  /** A token from the provider and when this filter stops using it. */
  record Minted(String token, Instant reuseUntil) {
    @Override
    public String toString() {
      return "Minted[until " + reuseUntil + "]"; // never the token
    }
  }

  /** An exchanged token is for one caller token and one target. */
  private record ExchangeKey(TokenHash callerToken, UpstreamToken target) {}

  /** Fetches a token from the provider. */
  @FunctionalInterface
  private interface Fetch {
    Minted fetch() throws OidcErrorException;
  }

  private final IdpClient idp;
  private final Clock clock;
  private final SafeEvents events;
  private final @Nullable UpstreamTokenRecords shared;
  private final AsyncCache<ExchangeKey, Minted> exchanged;
  private final AsyncCache<UpstreamToken, Minted> clientTokens;

  /**
   * @param shared where the nodes share the app's own tokens; null to keep them in this JVM only
   */
  public UpstreamTokens(
      IdpClient idp, Clock clock, SafeEvents events, @Nullable UpstreamTokenRecords shared) {
    this.idp = idp;
    this.clock = clock;
    this.events = events;
    this.shared = shared;
    this.exchanged =
        Caffeine.newBuilder().maximumSize(MAX_EXCHANGED).expireAfter(untilReuseEnds()).buildAsync();
    this.clientTokens =
        Caffeine.newBuilder().maximumSize(MAX_CLIENT).expireAfter(untilReuseEnds()).buildAsync();
  }

  /**
   * The token to send upstream for a caller whose access token is {@code callerToken}.
   *
   * @param target the path's choice, the filter-wide keys filled in
   * @return empty when the upstream gets no token ({@code none})
   * @throws OidcErrorException 502 when the provider refuses or cannot be asked
   */
  public Optional<String> tokenFor(UpstreamToken target, String callerToken)
      throws OidcErrorException {
    switch (target.kindOrCaller()) {
      case NONE:
        return Optional.empty();
      case EXCHANGE:
        return Optional.of(
            singleFlight(
                    exchanged,
                    new ExchangeKey(TokenHash.of(callerToken), target),
                    () -> exchange(target, callerToken))
                .token());
      case CLIENT:
        return Optional.of(singleFlight(clientTokens, target, () -> clientToken(target)).token());
      case CALLER:
      default:
        return Optional.of(callerToken);
    }
  }

  /**
   * The cached token for {@code key}, or the one fetched now; concurrent requests for one key wait
   * for the same fetch. A failed fetch is not kept: the next request asks again.
   */
  private <K> Minted singleFlight(AsyncCache<K, Minted> cache, K key, Fetch fetch)
      throws OidcErrorException {
    for (int attempt = 0; ; attempt++) {
      CompletableFuture<Minted> mine = new CompletableFuture<>();
      CompletableFuture<Minted> current = cache.asMap().putIfAbsent(key, mine);
      if (current == null) {
        try {
          mine.complete(fetch.fetch());
        } catch (OidcErrorException | RuntimeException e) {
          mine.completeExceptionally(e);
          cache.asMap().remove(key, mine);
        }
        current = mine;
      }
      Minted minted;
      try {
        minted = current.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof OidcErrorException) {
          throw (OidcErrorException) e.getCause();
        }
        throw OidcErrors.upstreamTokenUnavailable("The token for the upstream could not be made");
      }
      if (current == mine || minted.reuseUntil().isAfter(clock.instant()) || attempt > 0) {
        return minted;
      }
      cache.asMap().remove(key, current); // due for renewal: the next round fetches a new one
    }
  }

  private Minted exchange(UpstreamToken target, String callerToken) throws OidcErrorException {
    List<Audience> audience = new ArrayList<>();
    target.audience().forEach(a -> audience.add(new Audience(a)));
    TokenExchangeGrant grant =
        new TokenExchangeGrant(
            new TypelessAccessToken(callerToken),
            TokenTypeURI.ACCESS_TOKEN,
            null,
            null,
            TokenTypeURI.ACCESS_TOKEN,
            audience.isEmpty() ? null : audience);
    return fetch(
        "exchange",
        target,
        grant,
        Map.of(),
        "token exchange",
        "The identity provider did not exchange the token for the upstream");
  }

  private Minted clientToken(UpstreamToken target) throws OidcErrorException {
    String record = target.toString();
    if (shared != null) {
      Optional<Minted> stored = sharedRecord(shared, record);
      if (stored.isPresent()) {
        return stored.get();
      }
    }
    Minted minted =
        fetch(
            "client",
            target,
            new ClientCredentialsGrant(),
            target.audience().isEmpty() ? Map.of() : Map.of("audience", target.audience()),
            "client credentials grant for an upstream",
            "The identity provider did not issue the app's token for the upstream");
    if (shared != null) {
      Duration keep = Duration.between(clock.instant(), minted.reuseUntil());
      if (!keep.isNegative() && !keep.isZero()) {
        try {
          shared.put(record, minted.reuseUntil().toEpochMilli() + " " + minted.token(), keep);
        } catch (SessionStoreException e) {
          LOG.debug("The app's upstream token could not be shared: {}", e.getMessage());
        }
      }
    }
    return minted;
  }

  private Optional<Minted> sharedRecord(UpstreamTokenRecords records, String record) {
    try {
      Optional<String> stored = records.get(record);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      String value = stored.get();
      int space = value.indexOf(' ');
      Instant until = Instant.ofEpochMilli(Long.parseLong(value.substring(0, space)));
      return until.isAfter(clock.instant())
          ? Optional.of(new Minted(value.substring(space + 1), until))
          : Optional.empty();
    } catch (SessionStoreException | RuntimeException e) {
      // Shared state down or a record of another version: this node asks the provider itself.
      LOG.debug("No shared upstream token: {}", e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  private Minted fetch(
      String kind,
      UpstreamToken target,
      AuthorizationGrant grant,
      Map<String, List<String>> extra,
      String what,
      String refusal)
      throws OidcErrorException {
    TokenSet tokens;
    try {
      tokens =
          idp.upstreamToken(
              grant,
              target.scopes().isEmpty() ? null : new Scope(target.scopes().toArray(new String[0])),
              target.resourceUris(),
              extra,
              what);
    } catch (OidcErrorException e) {
      events.fire(l -> l.upstreamTokenFetched(kind, "failed"));
      String more = RepeatedFailures.admit(LOG, "upstream token failed", kind);
      if (more != null) {
        LOG.warn(
            "No {} token for an upstream ({}): {}{}", kind, target, e.error().description(), more);
      }
      throw OidcErrors.upstreamTokenUnavailable(
          e.error().status() == 503
              ? "The identity provider could not be reached for the upstream's token"
              : refusal);
    }
    events.fire(l -> l.upstreamTokenFetched(kind, "issued"));
    Instant now = clock.instant();
    Instant expiresAt = tokens.expiresAt(now);
    return new Minted(tokens.accessToken().getValue(), reuseUntil(now, expiresAt));
  }

  /**
   * When a token fetched at {@code now} stops being used: before it expires by a quarter of its
   * lifetime, at most {@link #MAX_MARGIN}; a token of unknown lifetime for a short while.
   */
  static Instant reuseUntil(Instant now, @Nullable Instant expiresAt) {
    if (expiresAt == null) {
      return now.plus(UNKNOWN_LIFETIME_REUSE);
    }
    Duration lifetime = Duration.between(now, expiresAt);
    if (lifetime.isNegative() || lifetime.isZero()) {
      return now;
    }
    Duration margin = lifetime.dividedBy(4);
    if (margin.compareTo(MAX_MARGIN) > 0) {
      margin = MAX_MARGIN;
    }
    return expiresAt.minus(margin);
  }

  /** Entries leave the cache when their reuse ends (by this filter's clock, at creation). */
  private <K> Expiry<K, Minted> untilReuseEnds() {
    return new Expiry<>() {
      @Override
      public long expireAfterCreate(K key, Minted value, long currentTime) {
        return remaining(value);
      }

      @Override
      public long expireAfterUpdate(K key, Minted value, long currentTime, long currentDuration) {
        return remaining(value);
      }

      @Override
      public long expireAfterRead(K key, Minted value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    };
  }

  private long remaining(Minted value) {
    Duration left = Duration.between(clock.instant(), value.reuseUntil());
    return left.isNegative() ? 0 : left.toNanos();
  }
}
