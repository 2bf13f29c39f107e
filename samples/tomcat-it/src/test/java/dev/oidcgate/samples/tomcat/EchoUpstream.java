package dev.oidcgate.samples.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The upstream: an embedded Jetty 12 (ee10) on 127.0.0.1 whose one servlet answers every request
 * with JSON describing it: {@code
 * {"method":..,"path":..,"query":..,"headers":{"lower-case-name":[values]}}}.
 */
// Closed by Teardown, not in try-with-resources: an interrupt while stopping is fine to pass on.
@SuppressWarnings("try")
final class EchoUpstream implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  EchoUpstream() throws Exception {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new EchoServlet(requests, seen)), "/*");
    server.setHandler(context);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  /** How many requests reached the upstream so far. */
  int requests() {
    return requests.get();
  }

  /** Every request so far, as {@code METHOD path body} (the body as UTF-8 text). */
  List<String> seen() {
    return List.copyOf(seen);
  }

  void stop() throws Exception {
    server.stop();
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  private static final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient AtomicInteger requests;
    private final transient List<String> seen;

    EchoServlet(AtomicInteger requests, List<String> seen) {
      this.requests = requests;
      this.seen = seen;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      requests.incrementAndGet();
      byte[] body = req.getInputStream().readAllBytes();
      long bodyBytes = body.length;
      seen.add(
          req.getMethod()
              + " "
              + req.getRequestURI()
              + " "
              + new String(body, StandardCharsets.UTF_8));
      StringBuilder json = new StringBuilder("{");
      json.append("\"method\":").append(quote(req.getMethod()));
      json.append(",\"path\":").append(quote(req.getRequestURI()));
      json.append(",\"query\":")
          .append(req.getQueryString() == null ? "null" : quote(req.getQueryString()));
      json.append(",\"headers\":{");
      boolean firstHeader = true;
      for (String name : Collections.list(req.getHeaderNames())) {
        json.append(firstHeader ? "" : ",")
            .append(quote(name.toLowerCase(Locale.ROOT)))
            .append(":[");
        firstHeader = false;
        boolean firstValue = true;
        for (String value : Collections.list(req.getHeaders(name))) {
          json.append(firstValue ? "" : ",").append(quote(value));
          firstValue = false;
        }
        json.append(']');
      }
      json.append("},\"bodyBytes\":").append(bodyBytes).append('}');
      resp.setStatus(200);
      resp.setContentType("application/json");
      resp.getOutputStream().write(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
      StringBuilder out = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      return out.append('"').toString();
    }
  }
}
