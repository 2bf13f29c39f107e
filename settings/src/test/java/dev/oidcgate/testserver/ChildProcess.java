package dev.oidcgate.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server the tests run as a child process (oidc-provider under Node, Keycloak's {@code kc.sh}):
 * its output, stdout and stderr, in a log file of its own, waited for until ready, and stopped with
 * its whole process tree by {@link #close()}, also when start-up failed half-way; a shutdown hook
 * does it if the test JVM exits first.
 */
public final class ChildProcess implements AutoCloseable {

  /** Whether the server is ready yet; asked again until it says so. */
  @FunctionalInterface
  public interface Readiness {
    boolean ready() throws IOException, InterruptedException;
  }

  private final String name;
  private final Path log;
  private final Duration stopGrace;
  private final Thread shutdownHook;
  private Process process;

  /**
   * @param name the server's name in failure messages ("Keycloak")
   * @param log where its output goes
   * @param stopGrace how long the process tree has to exit after SIGTERM before it is killed
   */
  public ChildProcess(String name, Path log, Duration stopGrace) {
    this.name = name;
    this.log = log;
    this.stopGrace = stopGrace;
    this.shutdownHook = new Thread(this::stop, name + "-stop");
  }

  /** Starts {@code command} with its output to the log and stdin closed. */
  public void start(ProcessBuilder command) throws IOException {
    Files.createDirectories(log.getParent());
    command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    process = command.start();
    process.getOutputStream().close();
  }

  /**
   * Asks {@code readiness} every {@code poll} until it says yes; fails, with the log's last lines,
   * when the process exits first or after {@code timeout} ("Keycloak did not {@code what} within
   * ...").
   */
  public void awaitReady(Duration timeout, Duration poll, String what, Readiness readiness)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (readiness.ready()) {
        return;
      }
      if (process.waitFor(poll.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + "; its log:\n" + tail());
      }
    }
    throw new IllegalStateException(
        name + " did not " + what + " within " + timeout + "; its log:\n" + tail());
  }

  /** The log file. */
  public Path log() {
    return log;
  }

  /** The last 40 lines of the log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the process tree and removes the shutdown hook. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
      // nothing to remove
    }
  }

  /** SIGTERM to the whole tree; what still runs after the grace period is killed. */
  private synchronized void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + stopGrace.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      try {
        p.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        break; // the grace period is over
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    process = null;
  }

  /** A port free on 127.0.0.1 right now, for a child process to listen on. */
  public static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
