package dev.oidcgate.oidc.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link SharedState} in this JVM (Caffeine), for a single node: bounded in number, each entry
 * living for the time to live of its write. Thread-safe.
 */
public final class MemorySharedState implements SharedState {

  private record Entry(String value, Duration ttl) {}

  private final Cache<String, Entry> entries;

  /**
   * @param clock expiry follows it, so tests can move time
   */
  public MemorySharedState(int maxEntries, Clock clock) {
    Ticker ticker = () -> clock.millis() * 1_000_000L;
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .ticker(ticker)
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
  public List<Optional<String>> getAll(List<String> keys) {
    List<Optional<String>> out = new ArrayList<>(keys.size());
    for (String key : keys) {
      Entry e = entries.getIfPresent(key);
      out.add(e == null ? Optional.empty() : Optional.of(e.value()));
    }
    return out;
  }

  @Override
  public void put(String key, String value, Duration timeToLive) {
    entries.put(key, new Entry(value, timeToLive));
  }

  @Override
  public boolean putIfAbsent(String key, String value, Duration timeToLive) {
    Entry mine = new Entry(value, timeToLive);
    return entries.asMap().putIfAbsent(key, mine) == null;
  }

  @Override
  public void remove(String key) {
    entries.invalidate(key);
  }

  @Override
  public void removeIf(String key, String value) {
    entries.asMap().computeIfPresent(key, (k, e) -> e.value().equals(value) ? null : e);
  }

  @Override
  public boolean isShared() {
    return false;
  }

  @Override
  public void close() {
    entries.invalidateAll();
  }
}
