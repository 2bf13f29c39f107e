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
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's signing keys, read from its {@code jwks_uri} only (never from {@code jku}, {@code
 * x5u}, {@code jwk} or {@code x5c} headers).
 *
 * <ul>
 *   <li>An unknown {@code kid} causes one refetch, shared by every request waiting for it and at
 *       most one per {@code minRefreshInterval}; requests with known keys never wait.
 *   <li>A failed fetch keeps the last good keys: an outage of the JWKS endpoint does not lock out
 *       callers whose tokens are signed with known keys.
 *   <li>Keys older than {@code refreshInterval} are read again by the first request that notices,
 *       while concurrent requests go on with the old keys.
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

  private record Snapshot(JWKSet keys, Instant fetchedAt) {}

  private final Location location;
  private final IdpTransport transport;
  private final Clock clock;
  private final Duration refreshInterval;
  private final Duration minRefreshInterval;
  private final ReentrantLock fetchLock = new ReentrantLock();
  private final AtomicLong fetchCount = new AtomicLong();

  private volatile Snapshot snapshot;
  private Instant lastAttempt = Instant.MIN;

  public JwksCache(
      Location location,
      IdpTransport transport,
      Clock clock,
      Duration refreshInterval,
      Duration minRefreshInterval) {
    this.location = location;
    this.transport = transport;
    this.clock = clock;
    this.refreshInterval = refreshInterval;
    this.minRefreshInterval = minRefreshInterval;
  }

  /**
   * The keys that may have signed a JWS with this header: same {@code kid} when the header has one,
   * else every key of the right type and algorithm.
   *
   * @return the candidate keys, empty when none fits even after a refetch
   * @throws OidcErrorException 503 when no key set has ever been read and the endpoint fails now
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
    } else if (clock.instant().isAfter(seen.fetchedAt().plus(refreshInterval))
        && fetchLock.tryLock()) {
      try {
        seen = fetchNow(seen);
      } finally {
        fetchLock.unlock();
      }
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
   * Refetches unless someone else already replaced {@code seen} or the rate limit forbids it.
   *
   * @return the snapshot to use now (possibly {@code seen}, possibly null if none was ever read)
   */
  private Snapshot refresh(Snapshot seen) {
    fetchLock.lock();
    try {
      Snapshot now = snapshot;
      if (now != seen) {
        return now; // another request refetched while this one waited: share its result
      }
      // Rate-limited: unknown kids must not let callers hammer the provider. Before any key set was
      // read, retry sooner, since every request is failing until one is.
      Duration limit =
          now == null ? min(minRefreshInterval, Duration.ofSeconds(1)) : minRefreshInterval;
      if (clock.instant().isBefore(lastAttempt.plus(limit))) {
        return now;
      }
      return fetchNow(now);
    } finally {
      fetchLock.unlock();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Fetches under the lock; on failure keeps and returns {@code previous}. */
  private Snapshot fetchNow(Snapshot previous) {
    lastAttempt = clock.instant();
    try {
      URI uri = location.jwksUri();
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
      return fresh;
    } catch (IOException | ParseException | RuntimeException e) {
      LOG.warn(
          "Could not read the identity provider's signing keys, keeping the last good ones: {}",
          e.getMessage());
    } catch (OidcErrorException e) {
      LOG.debug("Provider metadata not available for a key fetch");
    }
    return previous;
  }
}
