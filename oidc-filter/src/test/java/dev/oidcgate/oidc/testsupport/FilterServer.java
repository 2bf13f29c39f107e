package dev.oidcgate.oidc.testsupport;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.OidcFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real embedded Jetty 12 (ee10) on 127.0.0.1 with {@link OidcFilter} in front of a servlet that
 * answers with what the app sees: principal, remote user, roles asked about, headers and claims.
 */
public final class FilterServer implements AutoCloseable {

  private final Server server;
  private final int port;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FilterServer(Map<String, String> initParams) throws Exception {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(256 * 1024); // so the filter, not Jetty, meets oversized tokens
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context =
        new ServletContextHandler("/app", ServletContextHandler.SESSIONS);
    FilterHolder filter = new FilterHolder(OidcFilter.class);
    filter.setInitParameters(initParams);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new EchoServlet()), "/*");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + "/app" + path);
  }

  public HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> getWithToken(String token, String... headers)
      throws IOException, InterruptedException {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + token;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return get("/resource", all);
  }

  /** The echo servlet's JSON answer, parsed. */
  public static Map<String, Object> seen(HttpResponse<String> response)
      throws java.text.ParseException {
    return JSONObjectUtils.parse(response.body());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers with what the application sees of the request. */
  static final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put(
          "principal", req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName());
      out.put("remoteUser", req.getRemoteUser());
      out.put("authType", req.getAuthType());
      String role = req.getParameter("role");
      if (role != null) {
        out.put("inRole", req.isUserInRole(role));
      }
      Map<String, Object> headers = new LinkedHashMap<>();
      for (String name : Collections.list(req.getHeaderNames())) {
        headers.put(
            name.toLowerCase(java.util.Locale.ROOT), Collections.list(req.getHeaders(name)));
      }
      out.put("headers", headers);
      out.put("claims", req.getAttribute("dev.oidcgate.oidc.claims"));
      resp.setContentType("application/json");
      resp.getWriter().write(JSONObjectUtils.toJSONString(out));
    }
  }
}
