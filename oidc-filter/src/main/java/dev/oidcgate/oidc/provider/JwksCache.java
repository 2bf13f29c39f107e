package dev.oidcgate.oidc.provider;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's signing keys, read from its {@code jwks_uri} only (never from {@code jku}, {@code
 * x5u}, {@code jwk} or {@code x5c} headers).
 *
 * <ul>
 *   <li>An unknown {@code kid} causes one refetch, shared by every request waiting for it; requests
 *       with known keys never wait.
 *   <li>Every fetch, whatever its cause, spends a permit of one {@link RefetchBudget}: a burst of
 *       fetches, then one per interval, and exponential backoff while the endpoint fails. So a key
 *       published just after another fetch is found at once, made-up {@code kid}s cannot flood the
 *       provider, and while the endpoint fails callers are refused at once instead of each waiting
 *       for a timeout.
 *   <li>A failed fetch keeps the last good keys: an outage of the JWKS endpoint does not lock out
 *       callers whose tokens are signed with known keys.
 *   <li>Keys older than {@code refreshInterval} are read again in the background, on the given
 *       executor, while requests go on with the old keys.
 * </ul>
 *
 * <p>A lock, not a cache library, coordinates this: there is one key set per issuer, and what
 * matters is who fetches and when, which a lock states plainly. Thread-safe.
 */
public final class JwksCache {

  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

  /** Where the key set is; read at each fetch, so a changed {@code jwks_uri} is followed. */
  @FunctionalInterface
  public interface Location {
    URI jwksUri() throws OidcErrorException;
  }

  /**
   * How often keys are read.
   *
   * @param refreshInterval keys older than this are read again in the background
   * @param refetchInterval one fetch is earned per this interval
   * @param refetchBurst the most fetches that may follow one another at once
   * @param retryMaxInterval the longest pause between attempts while the endpoint fails
   */
  public record Timing(
      Duration refreshInterval,
      Duration refetchInterval,
      int refetchBurst,
      Duration retryMaxInterval) {
    public Timing {
      Objects.requireNonNull(refreshInterval);
      Objects.requireNonNull(refetchInterval);
      Objects.requireNonNull(retryMaxInterval);
    }
  }

  private record Snapshot(JWKSet keys, Instant fetchedAt) {}

  private final Location location;
  private final IdpTransport transport;
  private final Clock clock;
  private final Duration refreshInterval;
  private final RefetchBudget budget;
  private final Executor background;
  private final ReentrantLock fetchLock = new ReentrantLock();
  private final AtomicBoolean backgroundPending = new AtomicBoolean();
  private final AtomicLong fetchCount = new AtomicLong();

  private final Consumer<Boolean> fetched;

  private volatile @Nullable Snapshot snapshot;

  /**
   * @param background runs the periodic refresh; it should not be a request thread
   */
  public JwksCache(
      Location location, IdpTransport transport, Clock clock, Timing timing, Executor background) {
    this(location, transport, clock, timing, background, succeeded -> {});
  }

  /**
   * @param fetched hears each fetch and whether it succeeded (for metrics)
   */
  public JwksCache(
      Location location,
      IdpTransport transport,
      Clock clock,
      Timing timing,
      Executor background,
      Consumer<Boolean> fetched) {
    this.fetched = fetched;
    this.location = location;
    this.transport = transport;
    this.clock = clock;
    this.refreshInterval = timing.refreshInterval();
    this.budget =
        new RefetchBudget(
            clock, timing.refetchBurst(), timing.refetchInterval(), timing.retryMaxInterval());
    this.background = background;
  }

  /**
   * The keys that may have signed a JWS with this header: same {@code kid} when the header has one,
   * else every key of the right type and algorithm.
   *
   * @return the candidate keys, empty when none fits even after a refetch
   * @throws OidcErrorException 503 when no key set has been read yet and none can be read now
   */
  public List<JWK> candidates(JWSHeader header) throws OidcErrorException {
    JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
    if (matcher == null) {
      return List.of();
    }
    JWKSelector selector = new JWKSelector(matcher);
    Snapshot seen = snapshot;
    if (seen == null) {
      seen = refresh(null);
      if (seen == null) {
        throw OidcErrors.providerUnavailable("The identity provider's keys cannot be read", 5);
      }
    } else if (clock.instant().isAfter(seen.fetchedAt().plus(refreshInterval))) {
      refreshInBackground(seen);
    }
    List<JWK> found = selector.select(seen.keys());
    if (found.isEmpty()) {
      Snapshot after = refresh(seen);
      if (after != null && after != seen) {
        found = selector.select(after.keys());
      }
    }
    return found;
  }

  /** How many times the key set was requested from the provider; for tests and metrics. */
  public long fetchCount() {
    return fetchCount.get();
  }

  /**
   * Refetches unless someone else already replaced {@code seen} or the budget forbids it.
   *
   * @return the snapshot to use now (possibly {@code seen}, possibly null if none was ever read)
   */
  private @Nullable Snapshot refresh(@Nullable Snapshot seen) {
    fetchLock.lock();
    try {
      Snapshot now = snapshot;
      if (now != seen) {
        return now; // another request refetched while this one waited: share its result
      }
      return fetchNow(now);
    } finally {
      fetchLock.unlock();
    }
  }

  /**
   * Starts one background refresh of stale keys, unless one is pending or the budget has nothing to
   * spend (then the next request will ask again; asking costs no more than a look at the budget).
   */
  private void refreshInBackground(Snapshot seen) {
    if (!budget.mayAcquire() || !backgroundPending.compareAndSet(false, true)) {
      return;
    }
    try {
      background.execute(
          () -> {
            try {
              refresh(seen);
            } finally {
              backgroundPending.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      backgroundPending.set(false); // shutting down
    }
  }

  /** Fetches under the lock if the budget allows; on failure keeps and returns {@code previous}. */
  private @Nullable Snapshot fetchNow(@Nullable Snapshot previous) {
    URI uri;
    try {
      uri = location.jwksUri();
    } catch (OidcErrorException e) {
      LOG.debug("Provider metadata not available for a key fetch");
      return previous;
    }
    if (!budget.tryAcquire()) {
      return previous;
    }
    try {
      fetchCount.incrementAndGet();
      HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, uri);
      request.setAccept("application/json, application/jwk-set+json");
      HTTPResponse response = transport.send(request);
      if (response.getStatusCode() != 200) {
        throw new IOException(uri + " answered " + response.getStatusCode());
      }
      // JWKSet.parse keeps public parameters only if we ask; toPublicJWKSet drops any private part.
      JWKSet keys = JWKSet.parse(response.getBody()).toPublicJWKSet();
      Snapshot fresh = new Snapshot(keys, clock.instant());
      snapshot = fresh;
      budget.succeeded();
      fetched.accept(true);
      return fresh;
    } catch (IOException | ParseException | RuntimeException e) {
      budget.failed();
      fetched.accept(false);
      String more = RepeatedFailures.admit(LOG, "signing keys unreadable", uri);
      if (more != null) {
        LOG.warn(
            "Could not read the identity provider's signing keys, keeping the last good ones: {}{}",
            e.getMessage(),
            more);
      }
    }
    return previous;
  }
}
