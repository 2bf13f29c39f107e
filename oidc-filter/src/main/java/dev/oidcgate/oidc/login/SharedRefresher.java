package dev.oidcgate.oidc.login;

import dev.oidcgate.oidc.cluster.RefreshRecords;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refresh per refresh token across every node: the node that takes the lock spends the refresh
 * token and stores the refreshed session for the others, which wait for it instead of spending the
 * token again (an IdP that rotates refresh tokens would refuse the second use, and may revoke the
 * whole grant). {@link SessionKeeper} already makes refreshes single-flight within a node.
 * Thread-safe.
 */
final class SharedRefresher implements SessionKeeper.Refresher {

  private static final Logger LOG = LoggerFactory.getLogger(SharedRefresher.class);

  /** How long other nodes may pick up a refresh's result (requests still carrying the old one). */
  private static final Duration KEEP_RESULT = Duration.ofSeconds(60);

  private static final long POLL_MILLIS = 25;

  /** For the time between the deadlines: parsing, signature checks, a busy machine's pauses. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final SessionKeeper.Refresher refresher;
  private final RefreshRecords records;
  private final Duration hold;

  /**
   * @param hold how long the lock lives, and how long the other nodes wait for its holder's result:
   *     longer than the holder can take (see {@link #lockHold}), because a lock that expires while
   *     its holder still works lets another node spend the refresh token the IdP just rotated
   */
  SharedRefresher(SessionKeeper.Refresher refresher, RefreshRecords records, Duration hold) {
    this.refresher = refresher;
    this.records = records;
    this.hold = hold;
  }

  /**
   * The longest a lock's holder can take, and a margin: the Redis read before the refresh and the
   * write after it, the token call, and a key fetch to verify the new ID token (a key rotated at
   * the refresh), each bounded by its own deadline. The lock is released as soon as the holder is
   * done; this length only matters when it is not (a holder that died).
   */
  static Duration lockHold(Duration callTimeout, Duration redisTimeout) {
    return callTimeout.multipliedBy(2).plus(redisTimeout.multipliedBy(2)).plus(MARGIN);
  }

  @Override
  public OidcSession refresh(OidcSession session) throws OidcErrorException {
    // The tokens being replaced, not the refresh token alone: an IdP that does not rotate refresh
    // tokens sends the same one at every refresh, and an old result must not come back.
    String refreshToken = session.refreshTokenValue().orElseThrow() + "\n" + session.accessToken();
    long deadline = System.nanoTime() + hold.toNanos();
    try {
      while (true) {
        Optional<OidcSession> done = result(refreshToken, session);
        if (done.isPresent()) {
          return done.get();
        }
        Optional<String> owner = records.tryLock(refreshToken, hold);
        if (owner.isPresent()) {
          return refreshAsOwner(refreshToken, owner.get(), session);
        }
        if (System.nanoTime() - deadline > 0) {
          throw OidcErrors.providerUnavailable("The session is being refreshed", 1);
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (SessionStoreException e) {
      String more = RepeatedFailures.admit(LOG, "refresh not coordinated", null);
      if (more != null) {
        LOG.error("The refresh could not be coordinated: {}{}", e.getMessage(), more);
      }
      throw OidcErrors.providerUnavailable("Sessions are unavailable", 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw OidcErrors.providerUnavailable("The session is being refreshed", 1);
    }
  }

  private OidcSession refreshAsOwner(String refreshToken, String owner, OidcSession session)
      throws OidcErrorException, SessionStoreException {
    try {
      // Checked again under the lock: a node may have finished just before it was taken.
      Optional<OidcSession> done = result(refreshToken, session);
      if (done.isPresent()) {
        return done.get();
      }
      OidcSession fresh = refresher.refresh(session);
      try {
        records.storeResult(refreshToken, fresh.toJson(), KEEP_RESULT);
      } catch (SessionStoreException e) {
        String more = RepeatedFailures.admit(LOG, "refresh result not shared", null);
        if (more != null) {
          LOG.warn("A refresh's result could not be shared: {}{}", e.getMessage(), more);
        }
      }
      return fresh;
    } finally {
      try {
        records.unlock(refreshToken, owner);
      } catch (SessionStoreException e) {
        LOG.debug("A refresh lock could not be released; it expires by itself");
      }
    }
  }

  private Optional<OidcSession> result(String refreshToken, OidcSession session)
      throws SessionStoreException {
    Optional<String> json = records.result(refreshToken);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      OidcSession fresh = OidcSession.fromJson(json.get());
      return fresh.id().equals(session.id())
              && fresh.tokensReceivedAt().isAfter(session.tokensReceivedAt())
          ? Optional.of(fresh)
          : Optional.empty();
    } catch (ParseException e) {
      return Optional.empty();
    }
  }
}
