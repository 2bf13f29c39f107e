package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Headers a client writes to mislead the upstream or the proxy (issue 9.3 and 9.10): a {@code
 * Connection} header naming the credential, and claims about the client's address or the URL it
 * asked for. The test's client connects from 127.0.0.1, which only the {@code trusting} routes
 * trust.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class ProxySpoofedHeadersTest {

  private static ProxyChain chain;

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    Map<String, UnaryOperator<ProxyConfigBuilder>> routes = new LinkedHashMap<>();
    routes.put("api", b -> b);
    routes.put("host", b -> b.preserveHost(true));
    routes.put("trusting", b -> b.trustedProxies("127.0.0.1"));
    routes.put("realip", b -> b.realIpHeader(true));
    routes.put("trustingrealip", b -> b.trustedProxies("127.0.0.1, 10.0.0.0/8").realIpHeader(true));
    chain = servers.chain(routes);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    chain.echo.clear();
  }

  @Test
  void connectionHeaderCannotMakeTheProxyDropAuthorizationOrCookie() throws Exception {
    RawHttp.Response response =
        get(
            "/app/api/me",
            "Connection: X-Authenticated-User, Authorization, Cookie, X-Trace",
            "Authorization: Bearer the-token",
            "Cookie: sid=1",
            "X-Trace: hop-only");

    assertThat(response.status()).isEqualTo(200);
    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.header("Authorization")).containsExactly("Bearer the-token");
    assertThat(recorded.header("Cookie")).containsExactly("sid=1");
    // An ordinary header the client's Connection names is still hop-by-hop (RFC 9110 §7.6.1).
    assertThat(recorded.has("X-Trace")).isFalse();
  }

  @Test
  void connectionHeaderCannotMakeTheProxyDropThePreservedHost() throws Exception {
    get("/app/host/me", "Host: public.example:8443", "Connection: Host");

    assertThat(chain.echo.take().header("Host")).containsExactly("public.example:8443");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "X-Real-IP       | 6.6.6.6",
        "True-Client-IP  | 6.6.6.6",
        "X-Client-IP     | 6.6.6.6",
        "X-Original-URL  | /admin/delete-all",
        "X-Rewrite-URL   | /admin/delete-all",
        "x-real-ip       | 6.6.6.6",
        "X_Real_IP       | 6.6.6.6",
        "True_Client_IP  | 6.6.6.6",
        "X_Original_URL  | /admin/delete-all",
        "X_Forwarded_For | 6.6.6.6",
        "X_Forwarded_Prefix | /admin",
      })
  void untrustedClientCannotClaimAnAddressOrAnotherUrl(String name, String claim) throws Exception {
    RawHttp.Response response = get("/app/api/me", name + ": " + claim);

    assertThat(response.status()).isEqualTo(200);
    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.headers()).noneMatch(h -> h.getValue().contains(claim));
    assertThat(recorded.has("X-Real-IP")).isFalse();
    assertThat(recorded.header("X-Forwarded-For")).containsExactly("127.0.0.1");
  }

  @Test
  void trustedProxyKeepsItsClientAddressAndUrlHeaders() throws Exception {
    get(
        "/app/trusting/me",
        "X-Real-IP: 203.0.113.7",
        "True-Client-IP: 203.0.113.7",
        "X-Client-IP: 203.0.113.7",
        "X-Original-URL: /original",
        "X-Rewrite-URL: /rewritten");

    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.header("X-Real-IP")).containsExactly("203.0.113.7");
    assertThat(recorded.header("True-Client-IP")).containsExactly("203.0.113.7");
    assertThat(recorded.header("X-Client-IP")).containsExactly("203.0.113.7");
    assertThat(recorded.header("X-Original-URL")).containsExactly("/original");
    assertThat(recorded.header("X-Rewrite-URL")).containsExactly("/rewritten");
  }

  @Test
  void realIpHeaderNamesThePeerNotTheClientsClaim() throws Exception {
    get("/app/realip/me", "X-Real-IP: 6.6.6.6", "X-Forwarded-For: 6.6.6.6");

    assertThat(chain.echo.take().header("X-Real-IP")).containsExactly("127.0.0.1");
  }

  @Test
  void realIpHeaderBehindTrustedProxiesIsTheRightmostUntrustedAddress() throws Exception {
    get("/app/trustingrealip/me", "X-Forwarded-For: 6.6.6.6, 203.0.113.7, 10.0.0.2");

    assertThat(chain.echo.take().header("X-Real-IP")).containsExactly("203.0.113.7");
  }

  @Test
  void realIpHeaderFromATrustedProxyIsKept() throws Exception {
    get("/app/trustingrealip/me", "X-Real-IP: 198.51.100.4", "X-Forwarded-For: 203.0.113.7");

    assertThat(chain.echo.take().header("X-Real-IP")).containsExactly("198.51.100.4");
  }

  /** {@code Host: 127.0.0.1} unless the extra lines bring their own. */
  private static RawHttp.Response get(String rawPath, String... headerLines) throws Exception {
    String[] head = new String[headerLines.length + 2];
    head[0] = "GET " + rawPath + " HTTP/1.1";
    System.arraycopy(headerLines, 0, head, 1, headerLines.length);
    boolean hasHost = false;
    for (String line : headerLines) {
      hasHost |= line.regionMatches(true, 0, "Host:", 0, 5);
    }
    head[head.length - 1] = hasHost ? "Connection: close" : "Host: 127.0.0.1";
    return RawHttp.exchange(chain.proxy.port(), head);
  }
}
