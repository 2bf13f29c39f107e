package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The collaborators' rules, without a container. */
class PathAndHeaderRulesTest {

  @ParameterizedTest(name = "{0} ctx={1} servlet={2} strip={3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "/api/get               | ''    | /api     | true  | /api         | /get",
        "/app/api/a%2Fb         | /app  | /api     | true  | /app/api     | /a%2Fb",
        "/app/api               | /app  | /api     | true  | /app/api     | ''",
        "/app/api/              | /app  | /api     | true  | /app/api     | /",
        "/app/v1/api/x%25y      | /app  | /v1/api  | true  | /app/v1/api  | /x%25y",
        "/app;jsessionid=1/api/x | /app | /api     | true  | /app/api     | /x",
        "/app/anything/else     | /app  | /anything/else | false | /app   | /anything/else",
        "/x/y                   | ''    | ''       | true  | ''           | /x/y",
        "/caf%C3%A9/menu        | ''    | /café    | true  | /caf%C3%A9   | /menu",
      })
  void incomingPathIsSplitWithoutDecoding(
      String rawUri,
      String context,
      String servletPath,
      boolean strip,
      String prefix,
      String forward) {
    IncomingPath path = IncomingPath.of(rawUri, context, servletPath, strip);

    assertThat(path.proxyPrefix()).isEqualTo(prefix);
    assertThat(path.forwardPath()).isEqualTo(forward);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/a/../b        | 400",
        "/a/%2E%2e/b    | 400",
        "/a/.%2E;x=1    | 400",
        "/a/%2e%2e%3B/b | 400",
        "/.             | 400",
        "/a%2fb         | 400",
        "/a%5cb         | 400",
        "/a\\b        | 400",
        "/a/...         | 200",
        "/a/%2e%2e%2e   | 200",
        "/a/%252e%252e  | 200",
        "/a/%2          | 200",
        "/a/%           | 200",
        "/a/%zz.        | 200",
        "/caf%C3%A9/..x | 200",
        "''             | 200",
        "/              | 200",
      })
  void pathEscapesAreRecognisedWithoutDecodingMoreThanNeeded(String rawPath, int status) {
    ProxyException refusal = PathEscapes.refusal(rawPath);

    assertThat(refusal == null ? 200 : refusal.status()).isEqualTo(status);
  }

  @ParameterizedTest(name = "{0} + {1} ? {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "http://u:8080       | /get   | null       | /get",
        "http://u:8080/      | /get   | a=1        | /get?a=1",
        "http://u:8080/base  | /get   | null       | /base/get",
        "http://u:8080/base/ | ''     | null       | /base",
        "http://u:8080       | ''     | q          | /?q",
      })
  void targetPrefixIsPrependedToTheRawPath(
      String target, String forward, String query, String expected) {
    assertThat(new ProxyTarget(URI.create(target)).upstreamRequestTarget(forward, query))
        .isEqualTo(expected);
  }

  @Test
  void hopByHopIncludesHeadersNamedInConnection() {
    HopByHopHeaders hop = HopByHopHeaders.of(List.of("keep-alive, X-Foo", " x-bar "));

    assertThat(hop.isHopByHop("x-foo")).isTrue();
    assertThat(hop.isHopByHop("X-BAR")).isTrue();
    assertThat(hop.isHopByHop("Transfer-Encoding")).isTrue();
    assertThat(hop.isHopByHop("proxy-connection")).isTrue();
    assertThat(hop.isHopByHop("Authorization")).isFalse();
    assertThat(hop.isHopByHop("Content-Type")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "192.0.2.1       | a.example      | https | for=192.0.2.1;host=a.example;proto=https",
        "2001:db8::1     | a.example:8443 | https | for=\"[2001:db8::1]\";host=\"a.example:8443\";proto=https",
        "[::1]           | null           | http  | for=\"[::1]\";proto=http",
        "null            | b              | http  | for=unknown;host=b;proto=http",
      })
  void forwardedElementQuotesIpv6AndPorts(
      String address, String host, String scheme, String expected) {
    assertThat(
            ForwardedHeaders.forwardedElement(new ForwardedHeaders.Hop(address, scheme, host, 80)))
        .isEqualTo(expected);
  }

  @Test
  void ipv6TrustedProxyMatchesItsBlock() {
    ForwardedHeaders headers = new ForwardedHeaders(TrustedProxies.parse("2001:db8::/32"), false);
    Map<String, String> out =
        headers.forUpstream(
            new ForwardedHeaders.Hop("2001:db8::7", "https", "h", 443),
            name -> name.equals("X-Forwarded-For") ? List.of("198.51.100.1") : List.of());

    assertThat(out.get("X-Forwarded-For")).isEqualTo("198.51.100.1, 2001:db8::7");
    assertThat(out.get("Forwarded")).isEqualTo("for=\"[2001:db8::7]\";host=h;proto=https");
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.0/25, 192.168.1.127, true",
    "192.168.1.0/25, 192.168.1.128, false",
    "127.0.0.1, 127.0.0.1, true",
    "::1, 0:0:0:0:0:0:0:1, true",
    "::1, [::1], true",
    "fd00::/8, fdab::1, true",
    "fd00::/8, 10.0.0.1, false",
    "0.0.0.0/0, 203.0.113.4, true",
    "10.0.0.0/8, not-an-ip, false",
  })
  void trustedProxiesMatchAddressesAndBlocks(String configured, String peer, boolean trusted) {
    assertThat(TrustedProxies.parse(configured).contains(peer)).isEqualTo(trusted);
  }

  @Test
  void failuresMapToGatewayStatuses() {
    assertThat(status(new ConnectException("refused"))).isEqualTo(502);
    assertThat(status(new SocketException("Connection reset"))).isEqualTo(502);
    assertThat(status(new NoHttpResponseException("closed"))).isEqualTo(502);
    assertThat(status(new IOException("other"))).isEqualTo(502);
    assertThat(status(new SocketTimeoutException("Read timed out"))).isEqualTo(504);
    assertThat(status(new ConnectTimeoutException("Connect timed out"))).isEqualTo(504);
    assertThat(status(new ConnectionRequestTimeoutException("pool"))).isEqualTo(503);
    assertThat(UpstreamFailure.classify(new ConnectException("secret-host:1234")).getMessage())
        .doesNotContain("secret-host");
  }

  private static int status(IOException e) {
    return UpstreamFailure.classify(e).status();
  }
}
