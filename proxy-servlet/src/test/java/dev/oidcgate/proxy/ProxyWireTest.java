package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What goes over the wire between client, proxy and upstream: paths, headers, bodies. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class ProxyWireTest {

  private static ProxyChain chain;

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    Map<String, UnaryOperator<ProxyConfigBuilder>> routes = new LinkedHashMap<>();
    routes.put("api", b -> b);
    routes.put("prefixed", b -> b.targetUri(b.build().targetUri() + "/base/"));
    routes.put("trusting", b -> b.trustedProxies("10.0.0.0/8, 127.0.0.1"));
    routes.put("host", b -> b.preserveHost(true));
    chain = servers.chain(routes);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    chain.echo.clear();
  }

  static Stream<Arguments> hardUrls() {
    String[] raw = {
      "/get",
      "/get?x=1",
      "/a%25b%2525",
      "/a%3Fb?q=%3F&r=%26",
      "/plus+sign?a+b=c+d&e=%2B",
      "/matrix;p=1/x;q=2",
      "/caf%C3%A9/%E2%9C%93?name=J%C3%BCrgen",
      "/lower%c3%a9",
      "/repeat?a=1&a=2&a=3&b=&=v&flag",
      "/empty//segments",
      "/trailing/",
      "/sp%20ace?q=a%20b",
      "?only=query",
      "",
    };
    return Stream.of(raw)
        .flatMap(
            r ->
                Stream.of(
                    Arguments.of("api", r, upstreamPath("", r)),
                    Arguments.of("prefixed", r, upstreamPath("/base", r))));
  }

  private static String upstreamPath(String prefix, String raw) {
    String path = prefix + raw;
    return path.isEmpty() || path.startsWith("?") ? "/" + path : path;
  }

  @ParameterizedTest(name = "{0}{1} -> {2}")
  @MethodSource("hardUrls")
  void pathAndQueryReachUpstreamByteForByte(String route, String raw, String expected)
      throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(chain.via(route, raw)).GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(chain.echo.take().rawUri()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"})
  void methodAndBodyReachUpstream(String method) throws Exception {
    byte[] body = "{\"hello\":\"w\u00f6rld\"}".getBytes(StandardCharsets.UTF_8);
    send(
        HttpRequest.newBuilder(chain.via("api", "/things/1"))
            .header("Content-Type", "application/json")
            .method(method, BodyPublishers.ofByteArray(body)));

    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.method()).isEqualTo(method);
    assertThat(recorded.bodyLength()).isEqualTo(body.length);
    assertThat(recorded.bodyCrc()).isEqualTo(crc(body));
    assertThat(recorded.first("Content-Type")).isEqualTo("application/json");
    assertThat(recorded.first("Content-Length")).isEqualTo(Integer.toString(body.length));
  }

  @Test
  void chunkedRequestIsForwardedChunked() throws Exception {
    long length = 3 * 1024 * 1024 + 7;
    send(
        HttpRequest.newBuilder(chain.via("api", "/upload"))
            .POST(BodyPublishers.ofInputStream(() -> new GeneratedBytes(length, 42))));

    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.first("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(recorded.has("Content-Length")).isFalse();
    assertThat(recorded.bodyLength()).isEqualTo(length);
    assertThat(recorded.bodyCrc()).isEqualTo(GeneratedBytes.crc(length, 42));
  }

  @Test
  void expectContinueUploadArrivesWhole() throws Exception {
    byte[] body = new byte[256 * 1024];
    new GeneratedBytes(body.length, 7).read(body, 0, body.length);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(chain.via("api", "/continue"))
                .expectContinue(true)
                .POST(BodyPublishers.ofByteArray(body)));

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.bodyLength()).isEqualTo(body.length);
    assertThat(recorded.bodyCrc()).isEqualTo(crc(body));
  }

  @Test
  void expectContinueRejectedUpstreamAnswersWithoutTheBody() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(chain.via("api", "/too-large"))
                .expectContinue(true)
                .header("X-Respond-Status", "413")
                .POST(BodyPublishers.ofByteArray(new byte[64 * 1024])));

    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void hopByHopRequestHeadersAreRemoved() throws Exception {
    RawHttp.Response response =
        RawHttp.exchange(
            chain.proxy.port(),
            "GET /app/api/hop HTTP/1.1",
            "Host: 127.0.0.1",
            "Connection: keep-alive, X-Named-By-Connection",
            "X-Named-By-Connection: secret",
            "Keep-Alive: timeout=5",
            "TE: trailers",
            "Trailer: X-Checksum",
            "Proxy-Authorization: Basic dXNlcjpwYXNz",
            "Proxy-Connection: keep-alive",
            "X-End-To-End: kept");

    assertThat(response.status()).isEqualTo(200);
    RecordedRequest recorded = chain.echo.take();
    for (String name :
        new String[] {
          "X-Named-By-Connection",
          "Keep-Alive",
          "TE",
          "Trailer",
          "Proxy-Authorization",
          "Proxy-Connection",
          "Upgrade"
        }) {
      assertThat(recorded.has(name)).as(name).isFalse();
    }
    assertThat(recorded.header("Connection")).doesNotContain("X-Named-By-Connection");
    assertThat(recorded.first("X-End-To-End")).isEqualTo("kept");
  }

  @Test
  void hopByHopResponseHeadersAreRemoved() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(chain.via("api", "/hop"))
                .header("X-Respond-With", "Connection: X-Upstream-Hop")
                .header("X-Respond-With", "X-Upstream-Hop: internal")
                .header("X-Respond-With", "Keep-Alive: timeout=5")
                .header("X-Respond-With", "Proxy-Authenticate: Basic realm=upstream")
                .header("X-Respond-With", "Trailer: X-Checksum")
                .header("X-Respond-With", "X-Kept: yes"));

    assertThat(response.headers().firstValue("X-Upstream-Hop")).isEmpty();
    assertThat(response.headers().firstValue("Keep-Alive")).isEmpty();
    assertThat(response.headers().firstValue("Proxy-Authenticate")).isEmpty();
    assertThat(response.headers().firstValue("Trailer")).isEmpty();
    assertThat(response.headers().firstValue("X-Kept")).contains("yes");
  }

  @Test
  void identityHeadersAndAuthorizationPassThrough() throws Exception {
    send(
        HttpRequest.newBuilder(chain.via("api", "/me"))
            .header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.")
            .header("X-Userinfo", "alice")
            .header("Cookie", "a=1; b=2")
            .header("X-Multi", "one")
            .header("X-Multi", "two")
            .header("Accept-Encoding", "gzip, br"));

    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.first("Authorization")).isEqualTo("Bearer eyJhbGciOiJub25lIn0.e30.");
    assertThat(recorded.first("X-Userinfo")).isEqualTo("alice");
    assertThat(recorded.first("Cookie")).isEqualTo("a=1; b=2");
    assertThat(String.join(",", recorded.header("X-Multi"))).isIn("one,two", "one, two");
    assertThat(recorded.first("Accept-Encoding")).isEqualTo("gzip, br");
  }

  @Test
  void noHeadersAreInventedForTheUpstream() throws Exception {
    RawHttp.exchange(chain.proxy.port(), "GET /app/api/bare HTTP/1.1", "Host: 127.0.0.1");

    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.has("User-Agent")).isFalse();
    assertThat(recorded.has("Accept-Encoding")).isFalse();
    assertThat(recorded.has("Cookie")).isFalse();
  }

  @Test
  void hostIsTheUpstreamsByDefault() throws Exception {
    send(HttpRequest.newBuilder(chain.via("api", "/host")));

    assertThat(chain.echo.take().first("Host")).isEqualTo("127.0.0.1:" + chain.upstream.port());
  }

  @Test
  void hostIsTheClientsWhenPreserveHost() throws Exception {
    RawHttp.exchange(chain.proxy.port(), "GET /app/host/x HTTP/1.1", "Host: public.example:8443");

    assertThat(chain.echo.take().first("Host")).isEqualTo("public.example:8443");
  }

  @Test
  void forwardingHeadersFromAnUntrustedPeerAreReplaced() throws Exception {
    RawHttp.exchange(
        chain.proxy.port(),
        "GET /app/api/fwd HTTP/1.1",
        "Host: public.example:8080",
        "X-Forwarded-For: 6.6.6.6",
        "X-Forwarded-Proto: https",
        "X-Forwarded-Host: evil.example",
        "X-Forwarded-Port: 443",
        "X-Forwarded-Prefix: /evil",
        "Forwarded: for=6.6.6.6;proto=https");

    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.header("X-Forwarded-For")).containsExactly("127.0.0.1");
    assertThat(recorded.header("X-Forwarded-Proto")).containsExactly("http");
    assertThat(recorded.header("X-Forwarded-Host")).containsExactly("public.example:8080");
    assertThat(recorded.header("X-Forwarded-Port")).containsExactly("8080");
    assertThat(recorded.has("X-Forwarded-Prefix")).isFalse();
    assertThat(recorded.header("Forwarded"))
        .containsExactly("for=127.0.0.1;host=\"public.example:8080\";proto=http");
  }

  @Test
  void forwardingHeadersFromATrustedProxyAreKeptAndAppended() throws Exception {
    RawHttp.exchange(
        chain.proxy.port(),
        "GET /app/trusting/fwd HTTP/1.1",
        "Host: 127.0.0.1:" + chain.proxy.port(),
        "X-Forwarded-For: 203.0.113.9, 10.1.2.3",
        "X-Forwarded-Proto: https",
        "X-Forwarded-Host: public.example",
        "X-Forwarded-Port: 443",
        "Forwarded: for=203.0.113.9;proto=https, for=\"[2001:db8::1]\"");

    RecordedRequest recorded = chain.echo.take();
    assertThat(recorded.header("X-Forwarded-For"))
        .containsExactly("203.0.113.9, 10.1.2.3, 127.0.0.1");
    assertThat(recorded.header("X-Forwarded-Proto")).containsExactly("https");
    assertThat(recorded.header("X-Forwarded-Host")).containsExactly("public.example");
    assertThat(recorded.header("X-Forwarded-Port")).containsExactly("443");
    assertThat(recorded.header("Forwarded"))
        .containsExactly(
            "for=203.0.113.9;proto=https, for=\"[2001:db8::1]\", "
                + "for=127.0.0.1;host=\"127.0.0.1:"
                + chain.proxy.port()
                + "\";proto=http");
  }

  @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "api      | Location         | {upstream}/next?x=1         | {proxy}/app/api/next?x=1",
        "api      | Location         | {upstream}                  | {proxy}/app/api/",
        "api      | Location         | /login?return=%2Fa          | /app/api/login?return=%2Fa",
        "api      | Location         | next/step                   | next/step",
        "api      | Location         | https://idp.example/authorize?x=1 | https://idp.example/authorize?x=1",
        "api      | Content-Location | {upstream}/doc/1            | {proxy}/app/api/doc/1",
        "api      | Content-Location | /doc/2                      | /app/api/doc/2",
        "prefixed | Location         | {upstream}/base/in          | {proxy}/app/prefixed/in",
        "prefixed | Location         | /base/in#top                | /app/prefixed/in#top",
        "prefixed | Location         | /outside                    | /outside",
        "prefixed | Location         | {upstream}/basement         | {upstream}/basement",
      })
  void locationHeadersPointBackThroughTheProxy(
      String route, String header, String upstreamValue, String expected) throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(chain.via(route, "/redirect"))
                .header("X-Respond-Status", "302")
                .header("X-Respond-With", header + ": " + expand(upstreamValue)));

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().allValues(header)).containsExactly(expand(expected));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "api      | sid=1; Path=/; Domain=127.0.0.1; HttpOnly       | sid=1; Path=/app/api; HttpOnly",
        "api      | sid=2; Path=/account; Secure; SameSite=Lax      | sid=2; Path=/app/api/account; Secure; SameSite=Lax",
        "api      | sid=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT    | sid=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT",
        "prefixed | sid=4; Path=/base/x; domain=.upstream.example   | sid=4; Path=/app/prefixed/x",
        "prefixed | sid=5; Path=/other                              | sid=5; Path=/app/prefixed",
      })
  void setCookieIsScopedToTheProxy(String route, String upstreamValue, String expected)
      throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(chain.via(route, "/cookie"))
                .header("X-Respond-With", "Set-Cookie: " + upstreamValue));

    assertThat(response.headers().allValues("Set-Cookie")).containsExactly(expected);
  }

  @Test
  void cookiesOfOneClientAreNotSentForAnother() throws Exception {
    send(
        HttpRequest.newBuilder(chain.via("api", "/login"))
            .header("X-Respond-With", "Set-Cookie: session=alice"));
    chain.echo.take();

    send(HttpRequest.newBuilder(chain.via("api", "/anonymous")));

    assertThat(chain.echo.take().has("Cookie")).isFalse();
  }

  @Test
  void encodedResponsesAreNotDecoded() throws Exception {
    HttpResponse<byte[]> response =
        chain.client.send(
            HttpRequest.newBuilder(chain.via("api", "/gz"))
                .header("X-Respond-With", "Content-Encoding: gzip")
                .build(),
            BodyHandlers.ofByteArray());

    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .startsWith("{\"method\":\"GET\"");
  }

  @ParameterizedTest
  @ValueSource(ints = {201, 204, 304, 400, 404, 500, 503})
  void upstreamStatusIsPassedOn(int status) throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(chain.via("api", "/status"))
                .header("X-Respond-Status", Integer.toString(status)));

    assertThat(response.statusCode()).isEqualTo(status);
  }

  @Test
  void headRequestGetsHeadersWithoutBody() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(chain.via("api", "/head"))
                .method("HEAD", BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(chain.echo.take().method()).isEqualTo("HEAD");
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return chain.client.send(request.build(), BodyHandlers.ofString());
  }

  private static String expand(String value) {
    return value
        .replace("{upstream}", "http://127.0.0.1:" + chain.upstream.port())
        .replace("{proxy}", "http://127.0.0.1:" + chain.proxy.port());
  }

  private static long crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }
}
