package dev.oidcgate.oidc.login;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionStore;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a browser's session: loads it, ends it at the idle and absolute timeouts, refreshes its
 * access token shortly before it expires (one refresh per session at a time, shared by concurrent
 * requests), and writes it back. A store that cannot be reached becomes 503. Thread-safe.
 */
public final class SessionKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);

  /** A session's last-seen time is written back at most this often (each write is a cookie). */
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

  /** Requests still carrying the old cookie reuse a refresh's result this long. */
  private static final Duration RECENT_REFRESH = Duration.ofSeconds(30);

  /** Turns a session into one with fresh tokens. */
  @FunctionalInterface
  public interface Refresher {
    /**
     * @throws OidcErrorException when the provider refuses or cannot be reached
     */
    OidcSession refresh(OidcSession session) throws OidcErrorException;
  }

  /** How long sessions last and when their tokens are refreshed. */
  public record Timing(
      Duration idleTimeout, Duration maxLifetime, Duration refreshLeeway, Duration refreshWait) {}

  private final SessionStore store;
  private final Timing timing;
  private final Refresher refresher;
  private final SafeEvents events;
  private final Clock clock;
  private final Map<String, CompletableFuture<OidcSession>> refreshing = new ConcurrentHashMap<>();
  private final Cache<String, OidcSession> recentRefreshes;

  public SessionKeeper(
      SessionStore store, Timing timing, Refresher refresher, SafeEvents events, Clock clock) {
    this.store = store;
    this.timing = timing;
    this.refresher = refresher;
    this.events = events;
    this.clock = clock;
    this.recentRefreshes =
        Caffeine.newBuilder().expireAfterWrite(RECENT_REFRESH).maximumSize(100_000).build();
  }

  /**
   * The browser's usable session: within its timeouts, refreshed when due.
   *
   * @return empty when there is none (any more)
   * @throws OidcErrorException 503 when the session store cannot be reached, or when the access
   *     token has expired and the provider cannot answer its refresh (the session is kept)
   */
  public Optional<OidcSession> current(SessionCookies cookies) throws OidcErrorException {
    try {
      Optional<OidcSession> loaded = store.load(cookies);
      if (loaded.isEmpty()) {
        return loaded;
      }
      OidcSession session = loaded.get();
      Instant now = clock.instant();
      if (now.isAfter(session.lastSeenAt().plus(timing.idleTimeout()))
          || now.isAfter(session.createdAt().plus(timing.maxLifetime()))) {
        store.delete(session, cookies);
        return Optional.empty();
      }
      Instant refreshAt = session.refreshDueAt(timing.refreshLeeway());
      if (refreshAt != null && !now.isBefore(refreshAt)) {
        Optional<OidcSession> fresh;
        try {
          fresh = refreshShared(session);
        } catch (OidcErrorException e) {
          if (now.isBefore(session.accessTokenExpiresAt())) {
            return Optional.of(session); // the token is still good: carry on, retry next time
          }
          // The provider could not answer (down, 5xx, too slow): the refresh token may well be
          // good, so the session is kept for when it can, and the browser told to come back.
          throw e;
        }
        if (fresh.isPresent()) {
          store.save(fresh.get(), cookies);
          return fresh;
        }
        if (!now.isBefore(session.accessTokenExpiresAt())) {
          store.delete(session, cookies); // expired and not refreshable: log in again
          return Optional.empty();
        }
        return Optional.of(session); // refresh failed but the token is still good: carry on
      }
      if (now.isAfter(session.lastSeenAt().plus(TOUCH_INTERVAL))) {
        session = session.seenAt(now);
        store.save(session, cookies);
      }
      return Optional.of(session);
    } catch (SessionStoreException e) {
      throw storeDown(e);
    }
  }

  /**
   * The session the browser presents, as stored: no timeout check, no refresh, no write. For logout
   * and for the session a new login replaces, where refreshing is wasted work.
   *
   * @throws OidcErrorException 503 when the session store cannot be reached
   */
  public Optional<OidcSession> stored(SessionCookies cookies) throws OidcErrorException {
    try {
      return store.load(cookies);
    } catch (SessionStoreException e) {
      throw storeDown(e);
    }
  }

  /**
   * Stores a new session in place of the browser's previous one, if any.
   *
   * @throws OidcErrorException 503 when the session store cannot be reached
   */
  public void replace(Optional<OidcSession> previous, OidcSession session, SessionCookies cookies)
      throws OidcErrorException {
    try {
      if (previous.isPresent()) {
        store.delete(previous.get(), cookies);
      }
      store.save(session, cookies);
    } catch (SessionStoreException e) {
      throw storeDown(e);
    }
  }

  /**
   * Ends a session: its cookie is cleared and a replayed copy is refused.
   *
   * @throws OidcErrorException 503 when the session store cannot be reached
   */
  public void end(OidcSession session, SessionCookies cookies) throws OidcErrorException {
    try {
      store.delete(session, cookies);
    } catch (SessionStoreException e) {
      throw storeDown(e);
    }
  }

  /**
   * @return the refreshed session; empty without a refresh token or when the provider refused
   * @throws OidcErrorException 503 when the provider could not answer, or not in time
   */
  private Optional<OidcSession> refreshShared(OidcSession session) throws OidcErrorException {
    if (session.refreshTokenValue().isEmpty()) {
      return Optional.empty();
    }
    String key = session.id() + ":" + session.accessToken().hashCode();
    OidcSession recent = recentRefreshes.getIfPresent(key);
    if (recent != null) {
      return Optional.of(recent);
    }
    CompletableFuture<OidcSession> mine = new CompletableFuture<>();
    CompletableFuture<OidcSession> running = refreshing.putIfAbsent(key, mine);
    if (running == null) {
      refreshAs(key, session, mine);
      running = mine;
    }
    try {
      return Optional.ofNullable(
          running.get(timing.refreshWait().toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw OidcErrors.providerUnavailable("The session is being refreshed", 1);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof OidcErrorException unavailable
          ? unavailable
          : OidcErrors.providerUnavailable("The session could not be refreshed", 5);
    } catch (TimeoutException e) {
      throw OidcErrors.providerUnavailable("The session is being refreshed", 1);
    }
  }

  /**
   * Runs the refresh this request owns and completes {@code mine} with it: null when refused,
   * exceptionally (503) when the provider could not answer.
   */
  private void refreshAs(String key, OidcSession session, CompletableFuture<OidcSession> mine) {
    try {
      // Checked again now that this request owns the refresh: one that just finished has put its
      // result here before letting go, and a rotated refresh token must not be spent twice.
      OidcSession fresh = recentRefreshes.getIfPresent(key);
      if (fresh == null) {
        fresh = refresher.refresh(session);
        events.fire(l -> l.tokenRefreshed(session.subject()));
      }
      recentRefreshes.put(key, fresh);
      mine.complete(fresh);
    } catch (OidcErrorException e) {
      events.fire(l -> l.refreshFailed(session.subject(), e.error().description()));
      if (e.error().status() == 503) {
        mine.completeExceptionally(e); // could not answer: not a refusal
      } else {
        mine.complete(null);
      }
    } catch (RuntimeException e) {
      events.fire(
          l -> l.refreshFailed(session.subject(), "unexpected " + e.getClass().getSimpleName()));
      mine.complete(null);
    } finally {
      refreshing.remove(key, mine);
    }
  }

  private static OidcErrorException storeDown(SessionStoreException e) {
    String more = RepeatedFailures.admit(LOG, "session store unreachable", null);
    if (more != null) {
      LOG.error("The session store cannot be reached: {}{}", e.getMessage(), more);
    }
    return OidcErrors.providerUnavailable("Sessions are unavailable", 5);
  }
}
