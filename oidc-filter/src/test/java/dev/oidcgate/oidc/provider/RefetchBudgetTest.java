package dev.oidcgate.oidc.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RefetchBudgetTest {

  /** A clock a test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final ManualClock clock = new ManualClock();

  @Test
  void aBurstIsSpentAtOnceAndThenOnePermitIsEarnedPerInterval() {
    RefetchBudget budget =
        new RefetchBudget(clock, 3, Duration.ofSeconds(10), Duration.ofSeconds(60));
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.mayAcquire()).isFalse();
    assertThat(budget.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(9));
    assertThat(budget.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(budget.mayAcquire()).isTrue();
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.tryAcquire()).isFalse();
    clock.advance(Duration.ofDays(1)); // a long quiet time refills the burst, no more
    for (int i = 0; i < 3; i++) {
      assertThat(budget.tryAcquire()).isTrue();
    }
    assertThat(budget.tryAcquire()).isFalse();
  }

  @Test
  void failuresBackOffExponentiallyUpToTheCapAndASuccessEndsTheBackoff() {
    RefetchBudget budget =
        new RefetchBudget(clock, 100, Duration.ofMillis(1), Duration.ofSeconds(5));
    long[] expectedPauses = {1, 2, 4, 5, 5};
    for (long pause : expectedPauses) {
      assertThat(budget.tryAcquire()).isTrue();
      budget.failed();
      clock.advance(Duration.ofSeconds(pause).minusMillis(1));
      assertThat(budget.tryAcquire()).as("within a %d s pause", pause).isFalse();
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(budget.tryAcquire()).isTrue();
    budget.succeeded();
    assertThat(budget.tryAcquire()).isTrue();
    budget.failed();
    clock.advance(Duration.ofSeconds(1));
    assertThat(budget.tryAcquire()).as("the backoff starts again at 1 s").isTrue();
  }

  @Test
  void aClockSetBackEarnsNothing() {
    RefetchBudget budget =
        new RefetchBudget(clock, 1, Duration.ofSeconds(10), Duration.ofSeconds(60));
    assertThat(budget.tryAcquire()).isTrue();
    clock.advance(Duration.ofHours(-1));
    assertThat(budget.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(10));
    assertThat(budget.tryAcquire()).isTrue();
  }
}
