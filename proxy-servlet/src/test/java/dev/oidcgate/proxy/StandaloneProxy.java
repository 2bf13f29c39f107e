package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;

/**
 * The proxy alone in its own JVM, so that its heap can be limited ({@code -Xmx}) and measured
 * without the test's client and upstream in it. Prints {@code PORT n} when ready and stops when its
 * standard input closes. {@code GET /app/heap} reports heap figures; {@code GET /app/heap?reset}
 * resets the peaks.
 */
public final class StandaloneProxy {

  private StandaloneProxy() {}

  public static void main(String[] args) throws Exception {
    ProxyServlet proxy = new ProxyServlet(ProxyConfig.builder().targetUri(args[0]).build());
    try (JettyServer server =
        JettyServer.start("/app", Map.of("/api/*", proxy, "/heap", new Heap()))) {
      System.out.println("PORT " + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
    }
  }

  /** Heap figures as {@code key=value} lines. */
  static final class Heap extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (request.getParameter("reset") != null) {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      }
      long peak = 0;
      long peakAfterGc = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
          if (pool.getCollectionUsage() != null) {
            peakAfterGc += pool.getCollectionUsage().getUsed();
          }
        }
      }
      System.gc();
      long usedAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      response.setContentType("text/plain");
      response
          .getWriter()
          .printf(
              "max=%d%npeak=%d%nlastCollectionUsage=%d%nusedAfterGc=%d%n",
              Runtime.getRuntime().maxMemory(), peak, peakAfterGc, usedAfterGc);
    }
  }
}
