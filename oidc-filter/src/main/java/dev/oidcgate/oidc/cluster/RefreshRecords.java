package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Lets one node spend a refresh token and the others use its result, so that an IdP that rotates
 * refresh tokens never sees the same one twice: a short lock per refresh (Redis {@code SET NX PX})
 * and a grace record holding the refreshed session, sealed with the session secret. A refresh is
 * named by the {@code refreshToken} argument: any string that identifies the tokens being replaced
 * (it is only hashed). Thread-safe.
 */
public final class RefreshRecords {

  static final String PURPOSE = "shared-refresh";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SharedState state;
  private final SessionCrypto crypto;
  private final Keys keys;

  public RefreshRecords(SharedState state, SessionCrypto crypto, Keys keys) {
    this.state = state;
    this.crypto = crypto;
    this.keys = keys;
  }

  /**
   * Tries to become the one node that spends this refresh token.
   *
   * @return the lock's owner value, to give to {@link #unlock}; empty when another node holds it
   */
  public Optional<String> tryLock(String refreshToken, Duration hold) throws SessionStoreException {
    byte[] owner = new byte[16];
    RANDOM.nextBytes(owner);
    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(owner);
    return state.putIfAbsent(keys.refreshLock(refreshToken), value, hold)
        ? Optional.of(value)
        : Optional.empty();
  }

  public void unlock(String refreshToken, String owner) throws SessionStoreException {
    state.removeIf(keys.refreshLock(refreshToken), owner);
  }

  /** The refreshed session's JSON that a node stored for this refresh token, if any. */
  public Optional<String> result(String refreshToken) throws SessionStoreException {
    return state.get(keys.refreshResult(refreshToken)).flatMap(v -> crypto.open(PURPOSE, v));
  }

  public void storeResult(String refreshToken, String sessionJson, Duration keep)
      throws SessionStoreException {
    state.put(keys.refreshResult(refreshToken), crypto.seal(PURPOSE, sessionJson), keep);
  }
}
