package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.SessionStoreException;
import java.time.Duration;

/**
 * Remembers one-time values ({@code jti} of logout tokens) on every node, so that a token replayed
 * to another node is refused there too. Thread-safe.
 */
public final class ReplayGuard {

  private final SharedState state;
  private final Keys keys;

  public ReplayGuard(SharedState state, Keys keys) {
    this.state = state;
    this.keys = keys;
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
