package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.SessionStoreException;
import java.time.Duration;

/**
 * Remembers one-time values ({@code jti} of logout tokens) on every node, so that a token replayed
 * to another node is refused there too. A use is looked up before the work it guards and recorded
 * after it, so that a store failure in between leaves the value unused and the sender's retry is
 * accepted. Thread-safe.
 */
public final class ReplayGuard {

  private final SharedState state;
  private final Keys keys;

  public ReplayGuard(SharedState state, Keys keys) {
    this.state = state;
    this.keys = keys;
  }

  /** Whether a use of this value was recorded (on any node). */
  public boolean isUsed(String issuer, String jti) throws SessionStoreException {
    return state.get(keys.usedJti(issuer, jti)).isPresent();
  }

  /**
   * Records a use, atomically across nodes.
   *
   * @param remember how long: at least as long as a token with this value is otherwise accepted
   * @return true the first time, false for a replay
   */
  public boolean firstUse(String issuer, String jti, Duration remember)
      throws SessionStoreException {
    return state.putIfAbsent(keys.usedJti(issuer, jti), "1", remember);
  }
}
