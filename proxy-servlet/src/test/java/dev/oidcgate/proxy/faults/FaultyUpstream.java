package dev.oidcgate.proxy.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on a raw {@link ServerSocket} that misbehaves on demand, one connection per request
 * ({@code Connection: close}). It counts the connections it holds open: one whose peer (the proxy)
 * closed or aborted it is counted out only once it sees the end of the stream, so {@link
 * #openConnections()} at 0 proves the proxy let go of every connection. Threads are named {@value
 * #THREAD_PREFIX}..., so a test can see none is left.
 */
final class FaultyUpstream implements AutoCloseable {

  static final String THREAD_PREFIX = "faulty-upstream-";

  /** Names the threads that serve one connection each. */
  static final String CONNECTION_THREAD_PREFIX = THREAD_PREFIX + "conn-";

  enum Fault {
    /** Reads the request (body included) and answers 200 with {@code ok METHOD BYTES}. */
    NONE,
    /** Reads the request head, then resets the connection (RST). */
    RESET,
    /** Reads the request head and never answers, until the peer goes away. */
    HANG,
    /** Promises 1 MiB, sends 64 KiB, then closes. */
    CLOSE_MID_BODY,
    /** Answers 200 with an endless chunked body, until the peer goes away. */
    ENDLESS_BODY
  }

  volatile Fault fault = Fault.NONE;

  /** Uploads whose connection ended before the promised body had arrived. */
  final AtomicInteger truncatedUploads = new AtomicInteger();

  /** The last request head received, for tests that look at what was forwarded. */
  volatile String lastHead = "";

  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger threadIds = new AtomicInteger();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final int port;
  private volatile ServerSocket listener;

  FaultyUpstream() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    port = listener.getLocalPort();
    acceptInBackground(listener);
  }

  int port() {
    return port;
  }

  String uri() {
    return "http://127.0.0.1:" + port;
  }

  int openConnections() {
    return open.get();
  }

  /** Stops listening: connections are refused until {@link #listen()}. */
  void refuse() throws IOException {
    listener.close();
  }

  /** Listens again, on the same port. */
  void listen() throws IOException {
    ServerSocket again = new ServerSocket();
    again.setReuseAddress(true);
    again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    listener = again;
    acceptInBackground(again);
  }

  private void acceptInBackground(ServerSocket socket) {
    Thread accept = new Thread(() -> acceptLoop(socket), THREAD_PREFIX + "accept");
    accept.setDaemon(true);
    accept.start();
  }

  private void acceptLoop(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        open.incrementAndGet();
        sockets.add(connection);
        Thread t =
            new Thread(
                () -> serve(connection), CONNECTION_THREAD_PREFIX + threadIds.incrementAndGet());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        // closed by refuse() or close()
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setSoTimeout(30_000);
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      String head = readHead(in);
      lastHead = head;
      switch (fault) {
        case NONE -> answer(in, out, head);
        case RESET -> connection.setSoLinger(true, 0);
        case HANG -> readToEnd(in);
        case CLOSE_MID_BODY -> {
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                      + "Content-Length: 1048576\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.write(new byte[64 * 1024]);
          out.flush();
        }
        case ENDLESS_BODY -> endless(out);
      }
    } catch (IOException e) {
      // the peer went away: that is what the faults are about
    } finally {
      sockets.remove(connection);
      open.decrementAndGet();
    }
  }

  private void answer(InputStream in, OutputStream out, String head) throws IOException {
    long length = contentLength(head);
    long read = 0;
    byte[] buffer = new byte[16 * 1024];
    while (read < length) {
      int n;
      try {
        n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
      } catch (IOException e) {
        n = -1; // reset by the peer (an aborted exchange): cut short all the same
      }
      if (n < 0) {
        truncatedUploads.incrementAndGet();
        return;
      }
      read += n;
    }
    String method = head.substring(0, head.indexOf(' '));
    byte[] body = ("ok " + method + " " + read + "\n").getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static void endless(OutputStream out) throws IOException {
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    byte[] chunk = new byte[16 * 1024];
    byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] crlf = {'\r', '\n'};
    while (true) {
      out.write(size);
      out.write(chunk);
      out.write(crlf);
    }
  }

  private static void readToEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    while (in.read(buffer) >= 0) {
      // discard until the peer closes
    }
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return 0;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the request head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
