package dev.oidcgate.oidc.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the Debian package; CI installs it) as a child process on a free
 * 127.0.0.1 port, with no periodic persistence ({@code --save '' --appendonly no}). {@link #stop()}
 * and {@link #start()} simulate an outage: stopping saves the data once ({@code SHUTDOWN SAVE}) so
 * that a restart finds it, as a Redis with persistence would. Missing {@code redis-server} is a
 * failure with a clear message, never a silent skip.
 */
public final class RedisServer implements AutoCloseable {

  private final Path executable;
  private final Path dir;
  private final int port;
  private final String password;
  private final boolean cluster;
  private Process process;

  private RedisServer(Path executable, Path dir, int port, String password, boolean cluster) {
    this.executable = executable;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.cluster = cluster;
  }

  /** Starts a new server; fails the test if {@code redis-server} is not installed. */
  public static RedisServer startNew() throws IOException, InterruptedException {
    return startNew(null, false);
  }

  /**
   * @param password required of clients ({@code requirepass}), or null for none
   * @param cluster a one-node Redis Cluster holding every slot
   */
  public static RedisServer startNew(String password, boolean cluster)
      throws IOException, InterruptedException {
    RedisServer server =
        new RedisServer(
            findExecutable(),
            Files.createTempDirectory("redis-test"),
            freePort(),
            password,
            cluster);
    server.start();
    return server;
  }

  private static Path findExecutable() {
    String configured = System.getenv("REDIS_SERVER");
    if (configured != null && Files.isExecutable(Path.of(configured))) {
      return Path.of(configured);
    }
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "redis-server is not installed: these tests need a real Redis. Install the Debian package"
            + " redis-server (apt-get install redis-server; ./test does) or set REDIS_SERVER to"
            + " its path.");
  }

  /** The {@code redis-server} binary this server runs. */
  Path executable() {
    return executable;
  }

  /** The URI a client uses, with the password if one is required. */
  public String uri() {
    String auth = password == null ? "" : ":" + password + "@";
    return "redis://" + auth + "127.0.0.1:" + port + (cluster ? "" : "/0");
  }

  public int port() {
    return port;
  }

  /** Starts (again) on the same port and directory, and waits until it answers PING. */
  public void start() throws IOException, InterruptedException {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                executable.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--dbfilename",
                "dump.rdb"));
    if (password != null) {
      args.addAll(List.of("--requirepass", password));
    }
    if (cluster) {
      // A lone node that never met another does not know its own address; clients need it.
      args.addAll(
          List.of(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              "nodes.conf",
              "--cluster-announce-ip",
              "127.0.0.1"));
    }
    process =
        new ProcessBuilder(args)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!"+PONG".equals(command("PING"))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
      }
      Thread.sleep(20);
    }
    if (cluster) {
      command(
          "CLUSTER ADDSLOTSRANGE 0 16383"); // fails harmlessly after a restart: kept in nodes.conf
      while (!String.valueOf(command("CLUSTER INFO")).contains("cluster_state:ok")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the one-node Redis Cluster did not become ready");
        }
        Thread.sleep(50);
      }
    }
  }

  /** Stops the server after saving its data once, so that {@link #start()} brings it back. */
  public void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    command("SHUTDOWN SAVE");
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** How many keys the server holds (DBSIZE). */
  public long keyCount() {
    String reply = command("DBSIZE");
    return reply != null && reply.startsWith(":") ? Long.parseLong(reply.substring(1)) : -1;
  }

  /** Every key (KEYS *), as one line each; for tests that look at what is stored. */
  public String keys() {
    return command("KEYS *");
  }

  /** The raw value of a key, or null. */
  public String value(String key) {
    return command("GET " + key);
  }

  /**
   * Sends one inline command (such as {@code ACL SETUSER} or {@code INFO commandstats}) and returns
   * the reply (bulk replies joined by newlines), or null when the server cannot be reached.
   */
  public String command(String line) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      if (password != null) {
        out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        readReply(s.getInputStream());
      }
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (line.startsWith("SHUTDOWN")) {
        return null;
      }
      return readReply(s.getInputStream());
    } catch (IOException e) {
      return null;
    }
  }

  private static String readReply(InputStream in) throws IOException {
    String first = readLine(in);
    if (first.startsWith("$")) {
      int len = Integer.parseInt(first.substring(1));
      return len < 0 ? null : new String(in.readNBytes(len + 2), StandardCharsets.UTF_8).trim();
    }
    if (first.startsWith("*")) {
      int n = Integer.parseInt(first.substring(1));
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(readReply(in)).append('\n');
      }
      return b.toString();
    }
    return first;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
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
}
