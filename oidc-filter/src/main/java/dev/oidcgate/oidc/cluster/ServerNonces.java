package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.SessionStoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DPoP server nonces (RFC 9449 §8): one random value per period of time, the same on every node
 * (the first node to need a period's nonce stores it, atomically, and the others read it). A nonce
 * is accepted during its period and the next, so one handed out just before a period ends still
 * works. Each node keeps the values it has seen, so a period costs the store one or two calls per
 * node. Thread-safe.
 */
public final class ServerNonces {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SharedState state;
  private final Keys keys;
  private final long periodSeconds;
  private final Clock clock;
  private final Map<Long, String> seen = new ConcurrentHashMap<>();

  ServerNonces(SharedState state, Keys keys, Duration period, Clock clock) {
    this.state = state;
    this.keys = keys;
    this.periodSeconds = Math.max(1, period.toSeconds());
    this.clock = clock;
  }

  /** The nonce to hand out now. */
  public String current() throws SessionStoreException {
    return of(period());
  }

  /** The nonces a proof may carry now: this period's and the last one's. */
  public List<String> accepted() throws SessionStoreException {
    long now = period();
    return List.of(of(now), of(now - 1));
  }

  private long period() {
    return clock.instant().getEpochSecond() / periodSeconds;
  }

  private String of(long period) throws SessionStoreException {
    String known = seen.get(period);
    if (known != null) {
      return known;
    }
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String key = keys.dpopNonce(period);
    Duration keep = Duration.ofSeconds(periodSeconds * 3);
    String value;
    if (state.putIfAbsent(key, fresh, keep)) {
      value = fresh;
    } else {
      Optional<String> stored = state.get(key);
      value = stored.orElse(fresh);
      if (stored.isEmpty()) {
        state.put(key, fresh, keep); // it expired in between: this node's value is the period's
      }
    }
    seen.keySet().removeIf(p -> p < period - 2);
    String winner = seen.putIfAbsent(period, value);
    return winner != null ? winner : value;
  }
}
