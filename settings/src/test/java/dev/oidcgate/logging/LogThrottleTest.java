package dev.oidcgate.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

  private static final String LOG = "dev.oidcgate.proxy.ProxyServlet";
  private static final String UPSTREAM = "http://127.0.0.1:8080";

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(60), 4, nanos::get);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void firstOccurrenceIsLoggedInFullAndRepeatsWithinTheIntervalAreOnlyCounted() {
    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM)).isEmpty();
    for (int i = 0; i < 4_012; i++) {
      advance(Duration.ofMillis(10));
      assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM)).isNull();
    }
  }

  @Test
  void firstOccurrenceAfterTheIntervalCarriesTheCountOfThoseLeftOut() {
    throttle.admit(LOG, "upstream failed", UPSTREAM);
    for (int i = 0; i < 4_012; i++) {
      throttle.admit(LOG, "upstream failed", UPSTREAM);
    }
    advance(Duration.ofSeconds(60));

    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM))
        .isEqualTo(" (and 4,012 more like it in the last 60 s)");
    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM)).isNull();
  }

  @Test
  void theSummaryNamesTheTimeActuallyCoveredWhenTheNextFailureComesLate() {
    throttle.admit(LOG, "upstream failed", UPSTREAM);
    throttle.admit(LOG, "upstream failed", UPSTREAM);
    advance(Duration.ofSeconds(95));

    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM))
        .isEqualTo(" (and 1 more like it in the last 95 s)");
  }

  @Test
  void aFailureAfterAQuietIntervalIsLoggedWithoutASuffix() {
    throttle.admit(LOG, "upstream failed", UPSTREAM);
    advance(Duration.ofSeconds(61));

    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM)).isEmpty();
  }

  @Test
  void kindsAreToldApartByLoggerDescriptionAndTarget() {
    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM)).isEmpty();
    assertThat(throttle.admit(LOG, "upstream failed", "http://127.0.0.1:9090")).isEmpty();
    assertThat(throttle.admit(LOG, "customizer failed", UPSTREAM)).isEmpty();
    assertThat(throttle.admit("dev.oidcgate.oidc.idp.IdpClient", "upstream failed", UPSTREAM))
        .isEmpty();
    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM)).isNull();
  }

  @Test
  void aFullTableSendsNewKindsToOneSharedOverflowEntry() {
    for (int i = 0; i < 4; i++) {
      assertThat(throttle.admit(LOG, "upstream failed", "http://u" + i)).isEmpty();
    }
    // The table holds 4 kinds; the 5th and every later one share a single entry.
    assertThat(throttle.admit(LOG, "upstream failed", "http://u4")).isEmpty();
    for (int i = 5; i < 1_000; i++) {
      assertThat(throttle.admit(LOG, "upstream failed", "http://u" + i)).isNull();
    }
    advance(Duration.ofSeconds(1));
    assertThat(throttle.admit(LOG, "upstream failed", "http://u-late")).isNull();
  }

  @Test
  void overflowSummaryDoesNotClaimTheFailuresWereAlike() {
    for (int i = 0; i < 5; i++) {
      throttle.admit(LOG, "upstream failed", "http://u" + i);
    }
    throttle.admit(LOG, "upstream failed", "http://u5");
    advance(Duration.ofSeconds(60));
    for (int i = 0; i < 4; i++) {
      throttle.admit(LOG, "upstream failed", "http://u" + i); // the table's kinds stay busy
    }

    assertThat(throttle.admit(LOG, "upstream failed", "http://u6"))
        .isEqualTo(" (and 1 more of various kinds in the last 60 s)");
  }

  @Test
  void kindsQuietForAnIntervalMakeRoomForNewOnes() {
    for (int i = 0; i < 4; i++) {
      throttle.admit(LOG, "upstream failed", "http://u" + i);
    }
    advance(Duration.ofSeconds(61));

    assertThat(throttle.admit(LOG, "token endpoint unreachable", "http://idp")).isEmpty();
    assertThat(throttle.admit(LOG, "token endpoint unreachable", "http://idp")).isNull();
  }

  @Test
  void drainReportsWhatWasLeftOutAndStartsAfresh() {
    throttle.admit(LOG, "upstream failed", UPSTREAM);
    for (int i = 0; i < 11_128; i++) {
      throttle.admit(LOG, "upstream failed", UPSTREAM);
    }
    throttle.admit(LOG, "customizer failed", ""); // logged, nothing left out: no summary
    advance(Duration.ofSeconds(3));

    List<LogThrottle.Summary> drained = throttle.drain();

    assertThat(drained).hasSize(1);
    LogThrottle.Summary summary = drained.get(0);
    assertThat(summary.logger()).isEqualTo(LOG);
    assertThat(summary.count()).isEqualTo(11_128);
    assertThat(summary.message())
        .isEqualTo(
            "upstream failed (http://127.0.0.1:8080): 11,128 more in the last 3 s, not logged one"
                + " by one");
    assertThat(throttle.drain()).isEmpty();
    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM)).isEmpty();
  }

  @Test
  void concurrentFailuresAreLoggedOnceAndEveryOtherOneIsCounted() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> logged = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        logged.add(
            pool.submit(
                () -> {
                  start.await();
                  int lines = 0;
                  for (int i = 0; i < perThread; i++) {
                    if (throttle.admit(LOG, "upstream failed", UPSTREAM) != null) {
                      lines++;
                    }
                  }
                  return lines;
                }));
      }
      start.countDown();
      int lines = 0;
      for (Future<Integer> f : logged) {
        lines += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(lines).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    advance(Duration.ofSeconds(60));
    assertThat(throttle.admit(LOG, "upstream failed", UPSTREAM))
        .isEqualTo(" (and 39,999 more like it in the last 60 s)");
  }

  @Test
  void refusesAnIntervalOrTableSizeThatCannotWork() {
    assertThatThrownBy(() -> new LogThrottle(Duration.ZERO, 4, nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogThrottle(Duration.ofSeconds(1), 0, nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
