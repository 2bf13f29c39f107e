package dev.oidcgate.oidc.testsupport;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real embedded Jetty 12 (ee10) on 127.0.0.1 with {@link OidcFilter} in front of a servlet that
 * answers with what the app sees: principal, remote user, roles asked about, headers and claims.
 */
public final class FilterServer implements AutoCloseable {

  private final LoopbackJetty server;
  private final AtomicInteger appRequests = new AtomicInteger();
  private final HttpClient client =
      HttpClient.newBuilder()
          .sslContext(TestTls.trustingClient())
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The filter on {@code /*} of context {@code /app}, over plain HTTP. */
  public FilterServer(Map<String, String> initParams) throws Exception {
    this(Map.of("/*", initParams), false);
  }

  /**
   * Like {@link #FilterServer(Map)}, but Jetty lets ambiguous paths through to the filter ({@code
   * %2e}, {@code %2f}, {@code %25}, dot segments), which by default it refuses with 400 itself: for
   * tests of what the filter does with them, as behind a lenient container or front proxy.
   */
  public static FilterServer lenientUris(Map<String, String> initParams) throws Exception {
    return new FilterServer(false, true, holders(Map.of("/*", initParams)));
  }

  /**
   * A filter built in code (with a test clock, for example) on {@code /*} of context {@code /app}.
   */
  public static FilterServer of(OidcFilter filter) throws Exception {
    return withFilter(filter);
  }

  /** Like {@link #FilterServer(Map)}, but over HTTPS (a self-signed certificate, see TestTls). */
  public static FilterServer https(Map<String, String> initParams) throws Exception {
    return new FilterServer(Map.of("/*", initParams), true);
  }

  /**
   * Several filters in the one context {@code /app}, so that they share the container's session;
   * each is mapped to its URL pattern (the key), e.g. {@code /a/*}.
   */
  public static FilterServer withFilters(Map<String, Map<String, String>> initParamsByPattern)
      throws Exception {
    return new FilterServer(initParamsByPattern, false);
  }

  /**
   * The given filter instance (configured in code, e.g. with {@code OidcConfig.builder()}) on
   * {@code /*} of context {@code /app}, over plain HTTP.
   */
  public static FilterServer withFilter(Filter filter) throws Exception {
    return new FilterServer(false, false, Map.of("/*", new FilterHolder(filter)));
  }

  /**
   * Several filter instances (configured in code) in the one context {@code /app}, each mapped to
   * its URL pattern (the key), named {@code oidc-0}, {@code oidc-1}, ... in the map's order.
   */
  public static FilterServer withFilterInstances(Map<String, Filter> filtersByPattern)
      throws Exception {
    Map<String, FilterHolder> holders = new LinkedHashMap<>();
    filtersByPattern.forEach((pattern, filter) -> holders.put(pattern, new FilterHolder(filter)));
    return new FilterServer(false, false, holders);
  }

  private FilterServer(Map<String, Map<String, String>> filters, boolean https) throws Exception {
    this(https, false, holders(filters));
  }

  private static Map<String, FilterHolder> holders(Map<String, Map<String, String>> filters) {
    Map<String, FilterHolder> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> f : filters.entrySet()) {
      FilterHolder filter = new FilterHolder(OidcFilter.class);
      filter.setInitParameters(f.getValue());
      SecretsSeen.recordSecretSettings(f.getValue());
      out.put(f.getKey(), filter);
    }
    return out;
  }

  private FilterServer(boolean https, boolean lenientUris, Map<String, FilterHolder> filters)
      throws Exception {
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(256 * 1024); // so the filter, not Jetty, meets oversized tokens
    ServletContextHandler context =
        new ServletContextHandler("/app", ServletContextHandler.SESSIONS);
    if (lenientUris) {
      http.setUriCompliance(UriCompliance.UNSAFE);
      context.getServletHandler().setDecodeAmbiguousURIs(true);
    }
    context.addFilter(
        new FilterHolder(new SecretsSeen()), "/*", EnumSet.of(DispatcherType.REQUEST));
    int n = 0;
    for (Map.Entry<String, FilterHolder> f : filters.entrySet()) {
      f.getValue().setName("oidc-" + n++);
      context.addFilter(f.getValue(), f.getKey(), EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(new EchoServlet(appRequests)), "/*");
    LoopbackJetty.Builder server = LoopbackJetty.builder().http(http).handler(context);
    if (https) {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(TestTls.serverKeyStore());
      tls.setKeyStorePassword(TestTls.KEYSTORE_PASSWORD);
      tls.setKeyManagerPassword(TestTls.KEYSTORE_PASSWORD);
      server.tls(tls);
    }
    this.server = server.start();
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  /** Requests that reached the app (the servlet behind the filter). */
  public int appRequests() {
    return appRequests.get();
  }

  public URI uri(String path) {
    return server.url("/app" + path);
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
    server.close();
  }

  /** Answers with what the application sees of the request. */
  static final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient AtomicInteger requests;

    EchoServlet(AtomicInteger requests) {
      this.requests = requests;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      requests.incrementAndGet();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("method", req.getMethod());
      out.put("uri", req.getRequestURI());
      out.put("errorStatus", req.getAttribute("jakarta.servlet.error.status_code"));
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
      out.put("query", req.getQueryString());
      Map<String, Object> parameters = new LinkedHashMap<>();
      for (String name : Collections.list(req.getParameterNames())) {
        parameters.put(name, java.util.List.of(req.getParameterValues(name)));
      }
      out.put("parameters", parameters);
      out.put("parameterMap", new java.util.ArrayList<>(req.getParameterMap().keySet()));
      out.put("claims", req.getAttribute("dev.oidcgate.oidc.claims"));
      resp.setContentType("application/json");
      resp.getWriter().write(JSONObjectUtils.toJSONString(out));
    }
  }
}
