package dev.oidcgate.oidc.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When the key set may be fetched again: a token bucket of {@code burst} fetches, refilled by one
 * per {@code refillInterval}, and, while fetches fail, an exponential backoff from one second up to
 * {@code maxBackoff}.
 *
 * <p>A bucket rather than a fixed window, so that a rotation right after another fetch (the one at
 * start-up, say) is picked up at once, while a flood of made-up {@code kid}s still costs the
 * provider at most {@code burst} fetches and then one per interval. The backoff keeps a failing
 * endpoint from being asked again (and callers from waiting on it) at every earned permit.
 * Thread-safe; time comes from the injected clock.
 */
final class RefetchBudget {

  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final Clock clock;
  private final int burst;
  private final Duration refillInterval;
  private final Duration maxBackoff;

  private double permits;
  private Instant refilledAt;
  private int failures;
  private Instant notBefore = Instant.MIN;

  /**
   * @param burst how many fetches may follow one another at once; at least 1
   * @param refillInterval one permit is earned per this interval; positive
   * @param maxBackoff the longest pause after repeated failures
   */
  RefetchBudget(Clock clock, int burst, Duration refillInterval, Duration maxBackoff) {
    if (burst < 1 || refillInterval.isZero() || refillInterval.isNegative()) {
      throw new IllegalArgumentException("burst must be at least 1 and the interval positive");
    }
    this.clock = clock;
    this.burst = burst;
    this.refillInterval = refillInterval;
    this.maxBackoff = maxBackoff;
    this.permits = burst;
    this.refilledAt = clock.instant();
  }

  /** Takes a permit for one fetch, or says no: the bucket is empty or a backoff is running. */
  synchronized boolean tryAcquire() {
    Instant now = clock.instant();
    if (now.isBefore(notBefore)) {
      return false;
    }
    refill(now);
    if (permits < 1) {
      return false;
    }
    permits -= 1;
    return true;
  }

  /** Whether {@link #tryAcquire} would say yes now; takes nothing. */
  synchronized boolean mayAcquire() {
    Instant now = clock.instant();
    if (now.isBefore(notBefore)) {
      return false;
    }
    refill(now);
    return permits >= 1;
  }

  /** A fetch succeeded: the backoff ends. */
  synchronized void succeeded() {
    failures = 0;
    notBefore = Instant.MIN;
  }

  /** A fetch failed: no further fetch before 1 s, 2 s, 4 s ... (at most {@code maxBackoff}). */
  synchronized void failed() {
    failures = Math.min(failures + 1, 30);
    Duration pause = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
    if (pause.compareTo(maxBackoff) > 0) {
      pause = maxBackoff;
    }
    notBefore = clock.instant().plus(pause);
  }

  private void refill(Instant now) {
    Duration elapsed = Duration.between(refilledAt, now);
    if (elapsed.compareTo(refillInterval.multipliedBy(burst)) >= 0) {
      permits = burst;
    } else if (!elapsed.isNegative()) {
      permits = Math.min(burst, permits + (double) elapsed.toNanos() / refillInterval.toNanos());
    }
    refilledAt = now; // a clock set back earns nothing, rather than a debt
  }
}
