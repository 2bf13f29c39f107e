package dev.oidcgate.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how often one kind of failure is logged: the first occurrence is logged in full, the
 * following ones within the interval are only counted, and the first occurrence after the interval
 * is logged in full again with the count appended ({@code " (and 4,012 more like it in the last 60
 * s)"}). An upstream that is down for three seconds under load thus writes one line, not one per
 * request.
 *
 * <p>A kind of failure is the logger's name, a short fixed description of the failure and its
 * target (an endpoint, an upstream); never put request data in any of them, or every request is a
 * kind of its own. The number of kinds is bounded: when the table is full and no kind in it has
 * been quiet for an interval, further kinds share one overflow entry, so a flood of distinct
 * targets still writes one line per interval.
 *
 * <p>No background thread: counts left when failures stop are reported by {@link #drain()}, which
 * the owner calls when it closes. Thread-safe; {@link #admit} allocates one small key and nothing
 * else unless the occurrence is to be logged. Logger-agnostic (this module depends on the JDK
 * only): the caller writes the line.
 */
public final class LogThrottle {

  /**
   * How long a kind of failure is only counted after it was logged, unless configured otherwise.
   */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** How many kinds of failure are told apart, unless configured otherwise. */
  public static final int DEFAULT_MAX_KINDS = 256;

  private static final String NOTHING_MORE = "";
  private static final Key OVERFLOW = new Key("", "failures of other kinds", "");

  private final long intervalNanos;
  private final int maxKinds;
  private final LongSupplier nanoTime;
  private final Map<Key, Window> windows = new ConcurrentHashMap<>();
  private volatile long lastPurge;

  /**
   * @param interval how long a kind of failure is only counted after it was logged; positive
   * @param maxKinds how many kinds are told apart before the rest share one entry; at least 1
   * @param nanoTime a monotonic clock in nanoseconds, such as {@code System::nanoTime}
   */
  public LogThrottle(Duration interval, int maxKinds, LongSupplier nanoTime) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    if (maxKinds < 1) {
      throw new IllegalArgumentException("maxKinds must be at least 1: " + maxKinds);
    }
    this.intervalNanos = interval.toNanos();
    this.maxKinds = maxKinds;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.lastPurge = nanoTime.getAsLong();
  }

  /**
   * A throttle with {@link #DEFAULT_INTERVAL} and {@link #DEFAULT_MAX_KINDS} on the system clock.
   */
  public static LogThrottle standard() {
    return new LogThrottle(DEFAULT_INTERVAL, DEFAULT_MAX_KINDS, System::nanoTime);
  }

  /**
   * Counts one occurrence of a kind of failure and says whether to log it.
   *
   * @param logger the name of the logger that writes the line
   * @param kind a short fixed description, such as {@code "upstream failed"}
   * @param target what failed, such as the upstream's URI; {@code null} or empty for none
   * @return {@code null} to not log this occurrence (it was counted); otherwise a suffix to append
   *     to the line: empty when nothing was left out since the last line, else {@code " (and N more
   *     like it in the last S s)"}
   */
  public @Nullable String admit(String logger, String kind, @Nullable String target) {
    Key key = new Key(logger, kind, target == null ? "" : target);
    long now = nanoTime.getAsLong();
    Window window = windows.get(key);
    if (window == null) {
      window = newWindow(key, now);
    }
    return window.admit(now, intervalNanos);
  }

  /**
   * The counts not yet reported, one per kind with occurrences left out since its last line; they
   * are reset. Call it when the owner closes, and log each {@link Summary#message()}.
   */
  public List<Summary> drain() {
    long now = nanoTime.getAsLong();
    List<Summary> pending = new ArrayList<>();
    windows.forEach(
        (key, window) -> {
          Summary summary = window.drain(key, now);
          if (summary != null) {
            pending.add(summary);
          }
        });
    return pending;
  }

  private Window newWindow(Key key, long now) {
    if (windows.size() >= maxKinds) {
      purgeQuietKinds(now);
    }
    if (windows.size() >= maxKinds) {
      return windows.computeIfAbsent(OVERFLOW, k -> new Window(true));
    }
    return windows.computeIfAbsent(key, k -> new Window(false));
  }

  /**
   * Drops kinds with nothing left to report that have been quiet for an interval; at most once per
   * interval.
   */
  private void purgeQuietKinds(long now) {
    long last = lastPurge;
    if (now - last < intervalNanos) {
      return;
    }
    lastPurge = now;
    windows
        .entrySet()
        .removeIf(e -> e.getKey() != OVERFLOW && e.getValue().isQuiet(now, intervalNanos));
  }

  private record Key(String logger, String kind, String target) {}

  /**
   * Counts not yet reported for one kind of failure, as {@link LogThrottle#drain()} hands them out.
   */
  public record Summary(String logger, String kind, String target, long count, Duration over) {

    /**
     * A line that stands on its own, such as {@code "upstream failed (http://u:8080): 12 more in
     * the last 9 s, not logged one by one"}.
     */
    public String message() {
      String where = target.isEmpty() ? "" : " (" + target + ")";
      return kind
          + where
          + ": "
          + formatCount(count)
          + " more in the last "
          + seconds(over.toNanos())
          + " s, not logged one by one";
    }
  }

  /**
   * One kind's current interval; guarded by its own monitor, held only for a few arithmetic steps.
   */
  private static final class Window {
    private final boolean overflow;
    private boolean started;
    private long start;
    private long suppressed;
    private long lastSeen;

    Window(boolean overflow) {
      this.overflow = overflow;
    }

    synchronized @Nullable String admit(long now, long intervalNanos) {
      lastSeen = now;
      if (started && now - start < intervalNanos) {
        suppressed++;
        return null;
      }
      long left = suppressed;
      long over = now - start;
      boolean first = !started;
      started = true;
      start = now;
      suppressed = 0;
      if (first || left == 0) {
        return NOTHING_MORE;
      }
      String like = overflow ? " more of various kinds" : " more like it";
      return " (and " + formatCount(left) + like + " in the last " + seconds(over) + " s)";
    }

    synchronized @Nullable Summary drain(Key key, long now) {
      if (suppressed == 0) {
        return null;
      }
      Summary summary =
          new Summary(
              key.logger(), key.kind(), key.target(), suppressed, Duration.ofNanos(now - start));
      suppressed = 0;
      // The next occurrence starts a fresh interval: what was counted has been reported.
      started = false;
      return summary;
    }

    synchronized boolean isQuiet(long now, long intervalNanos) {
      return suppressed == 0 && now - lastSeen >= intervalNanos;
    }
  }

  private static String formatCount(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  private static long seconds(long nanos) {
    return Math.max(1, Math.round(nanos / 1e9));
  }
}
