package dev.oidcgate.testserver;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The servers and stand-ins one test (or one test class) started, closed together, the last started
 * first, so that a client stops before what it talks to. Thread-safe.
 */
public final class Closer implements AutoCloseable {

  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /** {@code resource}, to be closed with the others. */
  public synchronized <T extends AutoCloseable> T register(T resource) {
    started.push(resource);
    return resource;
  }

  /** Closes everything registered so far, the last first, all of it even if one fails. */
  @Override
  public synchronized void close() {
    IllegalStateException failure = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("a stand-in did not stop", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
