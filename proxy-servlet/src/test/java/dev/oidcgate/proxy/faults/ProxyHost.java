package dev.oidcgate.proxy.faults;

import dev.oidcgate.proxy.PoolStats;
import dev.oidcgate.proxy.ProxyServlet;
import dev.oidcgate.testserver.LoopbackJetty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One {@link ProxyServlet} at {@code /app/up/*} in a real Jetty on an ephemeral port of 127.0.0.1,
 * with helpers to find what a fault may leave behind: a request thread still inside the proxy.
 */
final class ProxyHost implements AutoCloseable {

  private final LoopbackJetty server;
  private final ProxyServlet proxy;

  private ProxyHost(LoopbackJetty server, ProxyServlet proxy) {
    this.server = server;
    this.proxy = proxy;
  }

  static ProxyHost start(ProxyServlet proxy) throws Exception {
    return new ProxyHost(
        LoopbackJetty.builder()
            .threads(32, 4, "proxy-host")
            .handler(LoopbackJetty.context("/app", Map.of("/up/*", proxy)))
            .start(),
        proxy);
  }

  /**
   * What a fault test checks once the exchange is over: every upstream connection closed and its
   * thread ended, nothing leased from or waiting for the proxy's pool, no thread inside the proxy.
   */
  void assertNothingLeft(FaultyUpstream upstream, Duration limit) throws InterruptedException {
    await("upstream connections closed", () -> upstream.openConnections() == 0, limit);
    await(
        "upstream connection threads ended",
        () -> threadsNamed(FaultyUpstream.CONNECTION_THREAD_PREFIX) == 0,
        limit);
    await("no connection leased", () -> proxy.poolStats().leased() == 0, limit);
    await("no thread inside the proxy", () -> threadsInsideTheProxy() == 0, limit);
    PoolStats pool = proxy.poolStats();
    if (pool.pending() != 0) {
      throw new AssertionError("requests still waiting for a connection: " + pool);
    }
  }

  int port() {
    return server.port();
  }

  URI uri(String path) {
    return server.url("/app/up" + path);
  }

  /** A raw connection to the proxy, for clients that leave half-way. */
  Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  static void send(Socket socket, String... headLines) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write((String.join("\r\n", headLines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads at least {@code count} bytes (head included) from the proxy's answer. */
  static void readAtLeast(Socket socket, long count) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[16 * 1024];
    long read = 0;
    while (read < count) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("the proxy closed after " + read + " bytes");
      }
      read += n;
    }
  }

  /** How many threads are running code of the proxy servlet right now. */
  static long threadsInsideTheProxy() {
    return Thread.getAllStackTraces().values().stream()
        .filter(
            stack ->
                Arrays.stream(stack)
                    .anyMatch(f -> f.getClassName().startsWith(ProxyServlet.class.getName())))
        .count();
  }

  /** The stacks of the threads in the proxy or the upstream, to say why a wait failed. */
  private static String stacksOfInterest() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              boolean inProxy =
                  Arrays.stream(stack)
                      .anyMatch(f -> f.getClassName().startsWith(ProxyServlet.class.getName()));
              if (inProxy || thread.getName().startsWith(FaultyUpstream.CONNECTION_THREAD_PREFIX)) {
                out.append(thread.getName()).append('\n');
                Arrays.stream(stack)
                    .limit(25)
                    .forEach(f -> out.append("  at ").append(f).append('\n'));
              }
            });
    return out.toString();
  }

  /** How many live threads have a name starting with {@code prefix}. */
  static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  /** Polls {@code condition} every 20 ms; fails with {@code what} after {@code limit}. */
  static void await(String what, BooleanSupplier condition, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "still not true after " + limit + ": " + what + "\n" + stacksOfInterest());
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
