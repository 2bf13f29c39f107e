package dev.oidcgate.oidc.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} whose delayed tasks run only when the test says so, moving a
 * {@link MutableClock} to their due time first: background work becomes a deterministic step. Only
 * one-shot {@code schedule(Runnable, ...)} is supported, which is all the filter uses. Not meant
 * for concurrent use by the test.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  /** A task waiting for its time. */
  public record Pending(Instant due, Duration delay, Runnable task) {}

  private final MutableClock clock;
  private final List<Pending> pending = new ArrayList<>();
  private boolean shutdown;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** The tasks waiting, soonest first. */
  public synchronized List<Pending> pending() {
    List<Pending> copy = new ArrayList<>(pending);
    copy.sort(Comparator.comparing(Pending::due));
    return copy;
  }

  /**
   * Moves the clock to the soonest task's due time (never backwards) and runs it.
   *
   * @return the delay the task was scheduled with
   * @throws IllegalStateException when nothing is pending
   */
  public Duration runNext() {
    Pending next;
    synchronized (this) {
      next = pending.stream().min(Comparator.comparing(Pending::due)).orElse(null);
      if (next == null) {
        throw new IllegalStateException("nothing is scheduled");
      }
      pending.remove(next);
    }
    if (next.due().isAfter(clock.instant())) {
      clock.set(next.due());
    }
    next.task().run();
    return next.delay();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Duration d = Duration.ofNanos(unit.toNanos(delay));
    pending.add(new Pending(clock.instant().plus(d), d, command));
    return new NoFuture(d);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> tasks = new ArrayList<>();
    pending.forEach(p -> tasks.add(p.task()));
    pending.clear();
    return tasks;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  /** The scheduled tasks are not cancelled by the code under test, so this future does nothing. */
  private record NoFuture(Duration delay) implements ScheduledFuture<Object> {

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(delay);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return false;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}
