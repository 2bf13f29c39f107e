package dev.oidcgate.oidc.testsupport;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults that {@link TestAuthServer} injects into one of its endpoints ({@code discovery}, {@code
 * jwks}, {@code token}) until cleared. A fault that holds the connection (slow, drip) ends as soon
 * as it is cleared or the client goes away, so no server thread outlives a test.
 */
public final class IdpFaults {

  public enum Fault {
    /** Waits (beyond any read timeout a test sets) until cleared, then answers normally. */
    SLOW,
    /** Answers 200 and then one byte of JSON every 200 ms, for ever: no read ever times out. */
    DRIP,
    /** Answers 200 {@code application/json} with a body that is not JSON. */
    GARBAGE,
    /** Answers 200 with 5 MiB of JSON, chunked, beyond the filter's response cap. */
    HUGE,
    /** Answers 302 to {@code /op/elsewhere}, which serves what the endpoint would. */
    REDIRECT,
    /** Answers 500 with an HTML page. */
    SERVER_ERROR
  }

  /** Requests that reached {@code /op/elsewhere}: a redirect that was followed. */
  public final AtomicInteger redirectsFollowed = new AtomicInteger();

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> faulted = new ConcurrentHashMap<>();

  public void set(String endpoint, Fault fault) {
    faults.put(endpoint, fault);
  }

  public void clear() {
    faults.clear();
  }

  /** Clears one endpoint's fault: a held (slow) request there answers now. */
  public void clear(String endpoint) {
    faults.remove(endpoint);
  }

  /** Requests to {@code endpoint} that met a fault (answered or held by it), since the start. */
  public int faulted(String endpoint) {
    AtomicInteger n = faulted.get(endpoint);
    return n == null ? 0 : n.get();
  }

  /**
   * Applies the endpoint's fault, if any.
   *
   * @return true when the response is done; false when the endpoint should answer normally
   */
  boolean apply(String endpoint, HttpServletResponse resp) throws IOException {
    Fault fault = faults.get(endpoint);
    if (fault == null) {
      return false;
    }
    faulted.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
    switch (fault) {
      case SLOW -> {
        while (faults.get(endpoint) == Fault.SLOW) {
          pause(50);
        }
        return false;
      }
      case DRIP -> drip(endpoint, resp);
      case GARBAGE -> {
        resp.setContentType("application/json");
        resp.getWriter().write("<html>this is not { json");
      }
      case HUGE -> huge(resp);
      case REDIRECT -> resp.sendRedirect("/op/elsewhere?from=" + endpoint);
      case SERVER_ERROR -> {
        resp.setStatus(500);
        resp.setContentType("text/html");
        resp.getWriter().write("<html><body>Internal Server Error</body></html>");
      }
    }
    return true;
  }

  private void drip(String endpoint, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    ServletOutputStream out = resp.getOutputStream();
    out.write('{');
    out.flush();
    // Ends when cleared or when the client has gone (the write fails), at the latest in 5 min.
    for (int i = 0; i < 1500 && faults.get(endpoint) == Fault.DRIP; i++) {
      pause(200);
      out.write(' ');
      out.flush();
    }
  }

  private static void huge(HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    ServletOutputStream out = resp.getOutputStream();
    out.write("{\"keys\":[],\"padding\":\"".getBytes(StandardCharsets.US_ASCII));
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    for (int i = 0; i < 80; i++) {
      out.write(chunk);
    }
    out.write("\"}".getBytes(StandardCharsets.US_ASCII));
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
