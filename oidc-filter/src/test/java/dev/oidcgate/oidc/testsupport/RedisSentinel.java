package dev.oidcgate.oidc.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Sentinel ({@code redis-server --sentinel}) on a free 127.0.0.1 port that monitors
 * one {@link RedisServer} as {@code mymaster}, so that clients find the master through it.
 */
public final class RedisSentinel implements AutoCloseable {

  private final Process process;
  private final int port;

  private RedisSentinel(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static RedisSentinel monitoring(RedisServer master)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("redis-sentinel");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(
        conf,
        "port "
            + port
            + "\nbind 127.0.0.1\ndir "
            + dir
            + "\nsentinel monitor mymaster 127.0.0.1 "
            + master.port()
            + " 1\n",
        StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(List.of(master.executable().toString(), conf.toString(), "--sentinel"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sentinel.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answers(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "redis sentinel did not start: " + Files.readString(dir.resolve("sentinel.log")));
      }
      Thread.sleep(20);
    }
    return new RedisSentinel(p, port);
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(2000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[5];
      return s.getInputStream().readNBytes(reply, 0, 5) == 5
          && new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** The URI a client gives Lettuce: the sentinel, the database and the master's name. */
  public String uri() {
    return "redis-sentinel://127.0.0.1:" + port + "/0#mymaster";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
