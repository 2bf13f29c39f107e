package dev.oidcgate.oidc.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Optional;

/**
 * Sessions in this JVM's memory (Caffeine), bounded in number; each entry lives for the time to
 * live of its last write. Sessions end at restart and are not shared between nodes. Thread-safe.
 */
public final class MemorySessionRepository implements SessionRepository {

  private record Entry(String json, Duration ttl) {}

  private final Cache<String, Entry> sessions;

  public MemorySessionRepository(int maxEntries) {
    this.sessions =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(
                new Expiry<String, Entry>() {
                  @Override
                  public long expireAfterCreate(String key, Entry value, long currentTime) {
                    return value.ttl().toNanos();
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, Entry value, long currentTime, long currentDuration) {
                    return value.ttl().toNanos();
                  }

                  @Override
                  public long expireAfterRead(
                      String key, Entry value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  @Override
  public Optional<String> get(String id) {
    Entry e = sessions.getIfPresent(id);
    return e == null ? Optional.empty() : Optional.of(e.json());
  }

  @Override
  public void put(String id, String json, Duration timeToLive) {
    sessions.put(id, new Entry(json, timeToLive));
  }

  @Override
  public void remove(String id) {
    sessions.invalidate(id);
  }
}
