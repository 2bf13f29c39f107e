package dev.oidcgate.oidc.provider;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import net.minidev.json.JSONObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's metadata (OpenID Connect Discovery 1.0), read at start-up and then kept fresh in
 * the background. If the provider cannot be reached, the app still starts: {@link #current()}
 * answers 503 with {@code Retry-After} and discovery is retried with backoff until it succeeds. A
 * failed refresh keeps the last good document. Thread-safe.
 */
public final class ProviderMetadataSource {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderMetadataSource.class);
  private final ReentrantLock attemptLock = new ReentrantLock();
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private final IssuerLocation location;
  private final IdpTransport transport;
  private final Clock clock;
  private final Duration refreshInterval;
  private final Duration retryMaxInterval;
  private final ScheduledExecutorService scheduler;

  private volatile @Nullable OIDCProviderMetadata metadata;
  private volatile Instant nextAttempt = Instant.EPOCH;
  private Duration backoff = FIRST_RETRY;

  public ProviderMetadataSource(
      IssuerLocation location,
      IdpTransport transport,
      Clock clock,
      Duration refreshInterval,
      Duration retryMaxInterval,
      ScheduledExecutorService scheduler) {
    this.location = location;
    this.transport = transport;
    this.clock = clock;
    this.refreshInterval = refreshInterval;
    this.retryMaxInterval = retryMaxInterval;
    this.scheduler = scheduler;
  }

  /**
   * Reads the metadata once, now, and schedules what follows (refresh, or retries on failure).
   *
   * @throws IssuerMismatchException when the provider answers with a document for another issuer: a
   *     configuration error that no retry will mend
   */
  public void start() throws IssuerMismatchException {
    if (!attempt(true)) {
      LOG.warn(
          "Identity provider {} is not reachable yet; protected requests get 503 until it is",
          location);
    }
  }

  /**
   * @return the current metadata
   * @throws OidcErrorException 503 with {@code Retry-After} while no document has been read
   */
  public OIDCProviderMetadata current() throws OidcErrorException {
    OIDCProviderMetadata m = metadata;
    if (m == null) {
      long wait = Duration.between(clock.instant(), nextAttempt).toSeconds();
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", wait + 1);
    }
    return m;
  }

  /** Whether a document has been read. */
  public boolean isReady() {
    return metadata != null;
  }

  private boolean attempt(boolean firstTime) throws IssuerMismatchException {
    // A lock, not synchronized: the attempt does HTTP I/O, during which a synchronized block would
    // pin a virtual thread to its carrier on Java 21 to 23.
    attemptLock.lock();
    try {
      return attemptLocked(firstTime);
    } finally {
      attemptLock.unlock();
    }
  }

  private boolean attemptLocked(boolean firstTime) throws IssuerMismatchException {
    try {
      OIDCProviderMetadata fetched = fetch();
      metadata = fetched;
      backoff = FIRST_RETRY;
      schedule(refreshInterval);
      if (!firstTime) {
        LOG.info("Read the metadata of identity provider {}", location);
      }
      return true;
    } catch (IssuerMismatchException e) {
      if (firstTime) {
        throw e;
      }
      String more = RepeatedFailures.admit(LOG, "metadata for another issuer", location);
      if (more != null) {
        LOG.error("{}; keeping the last good metadata{}", e.getMessage(), more);
      }
    } catch (IOException | ParseException e) {
      String more = RepeatedFailures.admit(LOG, "metadata unreadable", location);
      if (more != null) {
        LOG.warn(
            "Could not read the metadata of identity provider {}: {}{}",
            location,
            e.getMessage(),
            more);
      }
    } catch (RuntimeException e) {
      // A bug or a broken transport must not end discovery for good: treat it as an outage.
      String more = RepeatedFailures.admit(LOG, "metadata read failed unexpectedly", location);
      if (more != null) {
        LOG.error(
            "Reading the metadata of identity provider {} failed unexpectedly: {}{}",
            location,
            e.getClass().getName(),
            more);
      }
    }
    Duration wait = backoff;
    backoff = min(backoff.multipliedBy(2), retryMaxInterval);
    schedule(wait);
    return false;
  }

  private OIDCProviderMetadata fetch() throws IOException, ParseException, IssuerMismatchException {
    HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, location.discoveryUri());
    request.setAccept("application/json");
    HTTPResponse response = transport.send(request);
    if (response.getStatusCode() != 200) {
      throw new IOException(location.discoveryUri() + " answered " + response.getStatusCode());
    }
    JSONObject json = response.getBodyAsJSONObject();
    Object named = json.get("issuer");
    // Entra's multi-tenant endpoints name their issuer template (.../{tenantid}/v2.0), which is no
    // URL; the document is kept under the configured issuer, and tokens are checked against the
    // template with their own tid (IssuerRule).
    if (named != null && location.tenantTemplate().map(named::equals).orElse(false)) {
      json.put("issuer", location.issuer());
    }
    OIDCProviderMetadata parsed = OIDCProviderMetadata.parse(json);
    // Discovery §4.3: the document must be for the issuer we asked about, or its keys mean nothing.
    if (!parsed.getIssuer().getValue().equals(location.issuer())) {
      throw new IssuerMismatchException(location.issuer(), parsed.getIssuer().getValue());
    }
    if (parsed.getJWKSetURI() == null) {
      throw new ParseException("the metadata has no jwks_uri");
    }
    return parsed;
  }

  private void schedule(Duration wait) {
    nextAttempt = clock.instant().plus(wait);
    if (scheduler.isShutdown()) {
      return;
    }
    scheduler.schedule(
        () -> {
          try {
            attempt(false);
          } catch (IssuerMismatchException e) {
            // attempt(false) logs and never throws this
          } catch (RuntimeException e) {
            String more = RepeatedFailures.admit(LOG, "discovery failed unexpectedly", location);
            if (more != null) {
              LOG.error("Discovery of {} failed unexpectedly: {}{}", location, e.toString(), more);
            }
          }
        },
        Math.max(1, wait.toMillis()),
        TimeUnit.MILLISECONDS);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
