package dev.oidcgate.oidc.session;

import java.time.Duration;
import java.util.Optional;

/**
 * A key-value home for server-side sessions, keyed by an unguessable id. Small on purpose so that a
 * remote store (Redis) fits it: values are JSON strings, and every write carries its time to live.
 * Implementations are thread-safe.
 */
public interface SessionRepository {

  Optional<String> get(String id) throws SessionStoreException;

  void put(String id, String json, Duration timeToLive) throws SessionStoreException;

  void remove(String id) throws SessionStoreException;
}
