package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.time.Duration;
import java.util.Optional;

/**
 * The app's own client-credentials tokens for upstreams ({@code upstreamToken=client}), shared by
 * the nodes so that a fleet asks the provider about once per token lifetime, not once per node.
 * Each is sealed with the session secret (a Redis reader gets no usable token) and lives until the
 * node that fetched it would stop using it. Thread-safe.
 */
public final class UpstreamTokenRecords {

  static final String PURPOSE = "upstream-client-token";

  private final SharedState state;
  private final SessionCrypto crypto;
  private final Keys keys;

  UpstreamTokenRecords(SharedState state, SessionCrypto crypto, Keys keys) {
    this.state = state;
    this.crypto = crypto;
    this.keys = keys;
  }

  /** The record stored for {@code target} (a description of audience, resource and scope). */
  public Optional<String> get(String target) throws SessionStoreException {
    return state.get(keys.upstreamClientToken(target)).flatMap(v -> crypto.open(PURPOSE, v));
  }

  public void put(String target, String record, Duration keep) throws SessionStoreException {
    state.put(keys.upstreamClientToken(target), crypto.seal(PURPOSE, record), keep);
  }

  /** Whether other nodes see these records. */
  public boolean isShared() {
    return state.isShared();
  }
}
