package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The proxy's per-request header work: the client's 12 request header fields onto the upstream
 * request, with the forwarding fields of this hop. Lives in the proxy's package to reach {@link
 * RequestHeaderCopier}, which is not public API.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class ProxyHeaderBenchmarks {

  private RequestHeaderCopier copier;
  private HttpServletRequest request;

  @Setup
  public void setUp() {
    copier = new RequestHeaderCopier(new ForwardedHeaders(TrustedProxies.parse(""), true), false);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "app.example.com");
    headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
    headers.put("Accept", "application/json");
    headers.put("Accept-Encoding", "gzip, deflate, br");
    headers.put("Accept-Language", "en-GB,en;q=0.9");
    headers.put("Authorization", "Bearer " + "eyJhbGciOiJSUzI1NiJ9.".repeat(30));
    headers.put("Cookie", "theme=dark; _ga=GA1.2.123456789.1700000000");
    headers.put("Connection", "keep-alive");
    headers.put("X-Request-Id", "6f1c1e6e-2b0d-4c55-9c55-0d1c2f6f8b11");
    headers.put("Content-Type", "application/json");
    headers.put("Referer", "https://app.example.com/orders");
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    request = new FakeRequest(headers);
  }

  @Benchmark
  public HttpGet requestHeaders() {
    HttpGet upstream = new HttpGet("http://upstream:8080/api/orders");
    copier.copy(request, upstream);
    return upstream;
  }

  /** Only the calls the copier makes, answered from a map (a container's lookups are similar). */
  private static final class FakeRequest extends HttpServletRequestWrapper {
    private final Map<String, String> headers;

    FakeRequest(Map<String, String> headers) {
      super(
          (HttpServletRequest)
              Proxy.newProxyInstance(
                  HttpServletRequest.class.getClassLoader(),
                  new Class<?>[] {HttpServletRequest.class},
                  (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                  }));
      this.headers = headers;
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(headers.keySet());
    }

    @Override
    public String getHeader(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      String value = getHeader(name);
      return Collections.enumeration(value == null ? List.of() : List.of(value));
    }

    @Override
    public String getRemoteAddr() {
      return "10.0.0.7";
    }

    @Override
    public String getScheme() {
      return "https";
    }

    @Override
    public int getServerPort() {
      return 443;
    }
  }
}
