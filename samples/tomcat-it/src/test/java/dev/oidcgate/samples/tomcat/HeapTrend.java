package dev.oidcgate.samples.tomcat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether a JVM's heap after full GCs has levelled off, from samples taken over a run: the heap may
 * grow while caches fill, but over the second half its least-squares slope must stay below {@link
 * #MAX_SLOPE_MIB_PER_MINUTE}, and the last sample may not be above the peak of the first two thirds
 * by more than {@link #MAX_RISE_MIB}. A leak of a few MiB per minute fails both: the per-token
 * caller cache leaked about 14 MiB/min under the soak's traffic. (Two thirds, not half: on a loaded
 * machine the warm-up serves less traffic, and the bounded caches are still filling at half time:
 * 24 to 40 MiB by 100 s, then flat at 40 until 131 s.)
 */
final class HeapTrend {

  /**
   * Above the noise of a levelled-off heap (35-39 MiB in a 480 s soak), below any leak worth it.
   */
  static final double MAX_SLOPE_MIB_PER_MINUTE = 5;

  static final long MAX_RISE_MIB = 4;

  /** The heap after a full GC, {@code at} since the first sample. */
  record Point(Duration at, long heapMiB) {
    @Override
    public String toString() {
      return at.toSeconds() + " s: " + heapMiB + " MiB";
    }
  }

  private HeapTrend() {}

  /**
   * @param points at least four, in time order
   * @return why the heap has not levelled off, or empty when it has
   */
  static Optional<String> problem(List<Point> points) {
    if (points.size() < 4) {
      throw new IllegalArgumentException("too few samples for a trend: " + points);
    }
    int half = points.size() / 2;
    double slope = slopeMiBPerMinute(points.subList(half, points.size()));
    if (slope > MAX_SLOPE_MIB_PER_MINUTE) {
      return Optional.of(
          String.format(
              "the heap after GC still grows by %.1f MiB/min over the second half (at most %.0f): %s",
              slope, MAX_SLOPE_MIB_PER_MINUTE, points));
    }
    int twoThirds = points.size() * 2 / 3;
    long earlierPeak =
        points.subList(0, twoThirds).stream().mapToLong(Point::heapMiB).max().orElseThrow();
    long last = points.get(points.size() - 1).heapMiB();
    if (last > earlierPeak + MAX_RISE_MIB) {
      return Optional.of(
          String.format(
              "the last heap after GC, %d MiB, is above the first two thirds' peak of %d MiB by"
                  + " more than %d MiB: %s",
              last, earlierPeak, MAX_RISE_MIB, points));
    }
    return Optional.empty();
  }

  /** The least-squares slope of heap over time. */
  static double slopeMiBPerMinute(List<Point> points) {
    double n = points.size();
    double meanT = points.stream().mapToDouble(HeapTrend::minutes).sum() / n;
    double meanH = points.stream().mapToDouble(Point::heapMiB).sum() / n;
    double covariance = 0;
    double variance = 0;
    for (Point p : points) {
      double dt = minutes(p) - meanT;
      covariance += dt * (p.heapMiB() - meanH);
      variance += dt * dt;
    }
    return variance == 0 ? 0 : covariance / variance;
  }

  private static double minutes(Point p) {
    return p.at().toMillis() / 60_000.0;
  }
}
