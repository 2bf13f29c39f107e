package dev.oidcgate.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.proxy.ProxyConfig;
import dev.oidcgate.proxy.ProxyException;
import dev.oidcgate.proxy.ProxyServlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.http.ClassicHttpRequest;

/**
 * The proxy's URL rebuilding on hostile paths and queries: {@link ProxyServlet} as the container
 * calls it (path escapes, the raw path below the mapping, the target's prefix), with an {@code
 * upstreamRequestCustomizer} that records the request about to be sent and stops it there, so
 * nothing goes over the network. Property: either the answer is 400, or the upstream request goes
 * to the configured scheme, host and port, its path stays under the target's path, and it has no
 * dot segment and no encoded {@code /} or {@code \}, raw or escaped. Never an unchecked exception
 * (a 500 in a container).
 *
 * <p>Input: {@link ProxiedRequest}. docs/fuzzing.md.
 */
class UpstreamUrlFuzzTest {

  private static final Map<String, ProxyServlet> SERVLETS = new ConcurrentHashMap<>();
  private static final ThreadLocal<ClassicHttpRequest> SENT = new ThreadLocal<>();

  @FuzzTest
  void theUpstreamUrlStaysUnderTheTargetOrTheRequestIsRefused(byte[] input) throws Exception {
    ProxiedRequest in = ProxiedRequest.of(input);
    SENT.remove();
    AtomicReference<Integer> status = new AtomicReference<>(200);
    servlet(in.upstream()).service(in.servletRequest(), response(status));
    ClassicHttpRequest sent = SENT.get();
    if (sent == null) {
      assertThat(status.get()).as("neither forwarded nor refused with 400").isEqualTo(400);
      assertThat(
              ProxiedRequest.escapes(in.requestUri())
                  || in.rootUpstream() && in.path().startsWith("//"))
          .as("refused a harmless path")
          .isTrue();
      return;
    }
    URI base = URI.create(in.upstream());
    String target = sent.getPath(); // the request-target sent on the wire: path and query
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    String prefix = base.getRawPath();
    if (prefix.isEmpty()) {
      assertThat(path).startsWith("/");
    } else {
      assertThat(path.equals(prefix) || path.startsWith(prefix + "/"))
          .as("%s is under %s", path, prefix)
          .isTrue();
    }
    assertThat(ProxiedRequest.escapes(path)).as("forwarded an escaping path: %s", path).isFalse();
    // The path is forwarded raw, so it need not parse as a java.net.URI (a%2, a space in a query
    // the container let through); scheme and authority are what the connection is made to.
    assertThat(sent.getScheme()).isEqualTo(base.getScheme());
    assertThat(sent.getAuthority().getHostName()).isEqualTo(base.getHost());
    assertThat(sent.getAuthority().getPort()).isEqualTo(base.getPort());
    assertThat(path).doesNotStartWith("//"); // a network-path reference names another host
  }

  private static ProxyServlet servlet(String upstream) {
    return SERVLETS.computeIfAbsent(
        upstream,
        u -> {
          ProxyServlet s =
              new ProxyServlet(
                  ProxyConfig.builder()
                      .targetUri(u)
                      .upstreamRequestCustomizer(
                          (client, upstreamRequest) -> {
                            SENT.set(upstreamRequest);
                            throw new ProxyException(418, "recorded, not sent");
                          })
                      .build());
          try {
            s.init(servletConfig());
          } catch (Exception e) {
            fail("the proxy did not start", e);
          }
          return s;
        });
  }

  private static ServletConfig servletConfig() {
    return (ServletConfig)
        Proxy.newProxyInstance(
            UpstreamUrlFuzzTest.class.getClassLoader(),
            new Class<?>[] {ServletConfig.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "getServletName" -> "fuzz";
                  case "getInitParameterNames" -> Collections.emptyEnumeration();
                  default -> null;
                });
  }

  private static HttpServletResponse response(AtomicReference<Integer> status) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ServletOutputStream out =
        new ServletOutputStream() {
          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setWriteListener(WriteListener listener) {}

          @Override
          public void write(int b) {
            body.write(b);
          }
        };
    return (HttpServletResponse)
        Proxy.newProxyInstance(
            UpstreamUrlFuzzTest.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "setStatus" -> {
                    status.set((Integer) a[0]);
                    yield null;
                  }
                  case "isCommitted" -> false;
                  case "getOutputStream" -> out;
                  case "setContentType", "setHeader", "setContentLength", "addHeader" -> null;
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }
}
