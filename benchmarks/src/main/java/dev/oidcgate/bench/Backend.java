package dev.oidcgate.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The servlets at the end of every benchmarked route: a small answer like an API's, a source of N
 * bytes, a sink that counts what it is sent, the server's GC-settled heap, and the bench IdP's
 * JWKS.
 */
final class Backend {

  private Backend() {}

  /** {@code GET}: 13 bytes of text; {@code GET ?bytes=N}: N bytes; with a body: its length. */
  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] HELLO = "Hello, world\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      String bytes = req.getParameter("bytes");
      if (bytes != null) {
        source(Long.parseLong(bytes), resp);
      } else if (req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null) {
        byte[] count = (sink(req.getInputStream()) + "\n").getBytes(StandardCharsets.US_ASCII);
        resp.setContentLength(count.length);
        resp.getOutputStream().write(count);
      } else {
        resp.setContentLength(HELLO.length);
        resp.getOutputStream().write(HELLO);
      }
    }

    private static void source(long length, HttpServletResponse resp) throws IOException {
      resp.setContentLengthLong(length);
      byte[] chunk = new byte[64 * 1024];
      OutputStream out = resp.getOutputStream();
      for (long left = length; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }

    private static long sink(InputStream in) throws IOException {
      byte[] chunk = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = in.read(chunk)) >= 0; ) {
        total += n;
      }
      return total;
    }
  }

  /** The heap in use after two full collections, in bytes; for the memory rows of the table. */
  static final class Heap extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().println(settledHeap());
    }
  }

  /**
   * The bench IdP's public keys as a JWKS document, for gateways that fetch keys over HTTP (Spring
   * Cloud Gateway's resource server); the filter reads them in process.
   */
  static final class Jwks extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final byte[] jwks;

    Jwks(String jwks) {
      this.jwks = jwks.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/jwk-set+json");
      resp.setContentLength(jwks.length);
      resp.getOutputStream().write(jwks);
    }
  }

  static long settledHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 2; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
