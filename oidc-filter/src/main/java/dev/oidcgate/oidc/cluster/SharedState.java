package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.SessionStoreException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Short strings by key, each with a time to live, shared by every node that sees the same store
 * (Redis), or kept in this JVM when there is none. Small on purpose: sessions, logout records, used
 * {@code jti}s and refresh locks are all written through it. Values are stored as given; the
 * callers seal what must not be readable at rest. Implementations are thread-safe and never block
 * longer than their configured timeout.
 */
public interface SharedState extends AutoCloseable {

  /**
   * The values of {@code keys}, in the same order, empty where there is none.
   *
   * @throws SessionStoreException when the store cannot be reached
   */
  List<Optional<String>> getAll(List<String> keys) throws SessionStoreException;

  /** The value of one key. */
  default Optional<String> get(String key) throws SessionStoreException {
    return getAll(List.of(key)).get(0);
  }

  void put(String key, String value, Duration timeToLive) throws SessionStoreException;

  /**
   * Stores the value only if the key has none (Redis {@code SET NX PX}), atomically across nodes.
   *
   * @return whether it was stored
   */
  boolean putIfAbsent(String key, String value, Duration timeToLive) throws SessionStoreException;

  void remove(String key) throws SessionStoreException;

  /** Removes the key only while it still holds {@code value} (releasing a lock one owns). */
  void removeIf(String key, String value) throws SessionStoreException;

  /** Whether this state is seen by other nodes. */
  boolean isShared();

  /** Releases connections and threads; never throws. */
  @Override
  void close();
}
