package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.session.SessionRepository;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.time.Duration;
import java.util.Optional;

/**
 * Server-side sessions in {@link SharedState} (Redis): each one sealed with the session secret
 * before it leaves the JVM (AES-GCM, {@link SessionCrypto}), under a key that is a hash of its id.
 * A value that does not open (another secret, tampered) is no session. Thread-safe.
 */
public final class SharedSessionRepository implements SessionRepository {

  static final String PURPOSE = "shared-session";

  private final SharedState state;
  private final SessionCrypto crypto;
  private final Keys keys;

  public SharedSessionRepository(SharedState state, SessionCrypto crypto, Keys keys) {
    this.state = state;
    this.crypto = crypto;
    this.keys = keys;
  }

  @Override
  public Optional<String> get(String id) throws SessionStoreException {
    return state.get(keys.session(id)).flatMap(value -> crypto.open(PURPOSE, value));
  }

  @Override
  public void put(String id, String json, Duration timeToLive) throws SessionStoreException {
    state.put(keys.session(id), crypto.seal(PURPOSE, json), timeToLive);
  }

  @Override
  public void remove(String id) throws SessionStoreException {
    state.remove(keys.session(id));
  }
}
