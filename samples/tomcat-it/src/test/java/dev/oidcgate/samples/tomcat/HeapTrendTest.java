package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The soak's "levels off" check on series shaped like its runs: 8 samples 15 s apart, then idle.
 */
class HeapTrendTest {

  /** Samples at 0, 15, ..., 105 s under load, and the idle one at 130 s. */
  private static List<HeapTrend.Point> series(IntToLongFunction heapAtSecond) {
    List<HeapTrend.Point> out = new ArrayList<>();
    for (int s = 0; s <= 105; s += 15) {
      out.add(new HeapTrend.Point(Duration.ofSeconds(s), heapAtSecond.applyAsLong(s)));
    }
    out.add(new HeapTrend.Point(Duration.ofSeconds(130), heapAtSecond.applyAsLong(130)));
    return out;
  }

  @Test
  void aHeapThatGrowsWhileCachesFillThenStaysFlatLevelsOff() {
    // The soak's real shape: 25 MiB at first, 38 once the token caches are full, then 35-39.
    long[] heap = {25, 31, 36, 38, 37, 39, 35, 38, 36};
    List<HeapTrend.Point> points = series(s -> heap[s == 130 ? 8 : s / 15]);

    assertThat(HeapTrend.problem(points)).isEmpty();
  }

  @Test
  void cachesStillFillingAtHalfTimeOnALoadedMachineThenFlatLevelOff() {
    // A real run on a loaded machine (soak of this stop): flat at 40 MiB over the last 31 s.
    int[] at = {0, 17, 34, 51, 68, 84, 100, 117, 131};
    long[] heap = {24, 26, 30, 33, 38, 39, 40, 40, 40};
    List<HeapTrend.Point> points = new ArrayList<>();
    for (int i = 0; i < at.length; i++) {
      points.add(new HeapTrend.Point(Duration.ofSeconds(at[i]), heap[i]));
    }

    assertThat(HeapTrend.problem(points)).isEmpty();
  }

  @Test
  void theCallerCacheLeakOf14MiBPerMinuteIsCaught() {
    List<HeapTrend.Point> points = series(s -> 24 + Math.round(14 * s / 60.0));

    assertThat(HeapTrend.problem(points)).hasValueSatisfying(p -> assertThat(p).contains("grows"));
  }

  @Test
  void aLeakOf20MiBPerRunThatTheOldBoundPassedIsCaught() {
    // 10 MiB/min from 25 MiB: idle at 47 MiB, within the old "1.25 x first + 16 MiB" (47).
    List<HeapTrend.Point> points = series(s -> 25 + Math.round(10 * s / 60.0));
    assertThat(points.get(points.size() - 1).heapMiB()).isLessThanOrEqualTo(25 * 5 / 4 + 16);

    assertThat(HeapTrend.problem(points)).isPresent();
  }

  @Test
  void aHeapThatJumpsAtTheEndIsCaughtEvenWhenTheSlopeIsSmall() {
    long[] heap = {38, 38, 38, 38, 38, 38, 38, 38, 43};
    List<HeapTrend.Point> points = series(s -> heap[s == 130 ? 8 : s / 15]);

    assertThat(HeapTrend.problem(points))
        .hasValueSatisfying(p -> assertThat(p).contains("above the first two thirds' peak"));
  }

  @Test
  void theSlopeIsMiBPerMinute() {
    List<HeapTrend.Point> points = series(s -> 100 + 3L * s); // 3 MiB/s

    assertThat(HeapTrend.slopeMiBPerMinute(points)).isCloseTo(180.0, within(1e-9));
  }
}
