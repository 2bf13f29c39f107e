package dev.oidcgate.bench;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link StepBenchmarks} hands the real filter instead of a container: its {@code
 * FilterConfig}, a request and a response holding what a container would pass, and nothing more.
 */
final class ServletStandIns {

  private ServletStandIns() {}

  static FilterConfig filterConfig(String contextPath) {
    ServletContext context =
        unsupported(
            ServletContext.class,
            Map.of("getContextPath", contextPath, "getFilterRegistration", NULL));
    return unsupported(
        FilterConfig.class,
        Map.of(
            "getServletContext",
            context,
            "getFilterName",
            "oidc",
            "getInitParameterNames",
            Collections.emptyEnumeration()));
  }

  private static final Object NULL = new Object();

  /** An object of {@code type} answering only {@code answers}, by method name; else it throws. */
  @SuppressWarnings("unchecked")
  static <T> T unsupported(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              Object answer = answers.get(method.getName());
              if (answer == null) {
                throw new UnsupportedOperationException(
                    type.getSimpleName() + "." + method.getName());
              }
              return answer == NULL ? null : answer;
            });
  }

  /**
   * A request as a container hands it to the filter: method, URI under the context, headers (names
   * case-insensitive), no cookies, no body, attributes in a map.
   */
  static final class BenchRequest extends HttpServletRequestWrapper {
    private final String method;
    private final String uri;
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();

    BenchRequest(String method, String uri, Map<String, String> headers) {
      super(unsupported(HttpServletRequest.class, Map.of()));
      this.method = method;
      this.uri = uri;
      headers.forEach((n, v) -> this.headers.put(n.toLowerCase(Locale.ROOT), v));
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public String getRequestURI() {
      return uri;
    }

    @Override
    public StringBuffer getRequestURL() {
      return new StringBuffer("http://app.example.com").append(uri);
    }

    @Override
    public String getContextPath() {
      return StepBenchmarks.CONTEXT;
    }

    @Override
    public String getServletPath() {
      return uri.substring(StepBenchmarks.CONTEXT.length());
    }

    @Override
    public String getPathInfo() {
      return null;
    }

    @Override
    public String getQueryString() {
      return null;
    }

    @Override
    public String getParameter(String name) {
      return null;
    }

    @Override
    public String getHeader(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      String value = getHeader(name);
      return value == null
          ? Collections.emptyEnumeration()
          : Collections.enumeration(List.of(value));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(headers.keySet());
    }

    @Override
    public Cookie[] getCookies() {
      return null;
    }

    @Override
    public boolean isSecure() {
      return false;
    }

    @Override
    public String getScheme() {
      return "http";
    }

    @Override
    public String getServerName() {
      return "app.example.com";
    }

    @Override
    public int getServerPort() {
      return 80;
    }

    @Override
    public String getRemoteAddr() {
      return "127.0.0.1";
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object o) {
      attributes.put(name, o);
    }

    @Override
    public void removeAttribute(String name) {
      attributes.remove(name);
    }
  }

  /** A response that records its status and headers; the chain writes no body. */
  static final class BenchResponse extends HttpServletResponseWrapper {
    private int status = 200;
    private final Map<String, String> headers = new HashMap<>();

    BenchResponse() {
      super(unsupported(HttpServletResponse.class, Map.of()));
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public int getStatus() {
      return status;
    }

    @Override
    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }

    @Override
    public String getHeader(String name) {
      return headers.get(name);
    }

    @Override
    public boolean isCommitted() {
      return false;
    }
  }
}
