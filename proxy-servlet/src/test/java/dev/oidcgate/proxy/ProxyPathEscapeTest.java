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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9.4: with {@code targetUri=http://upstream/base}, no request path can reach the upstream
 * outside {@code /base}, or as a different path than the one the container routed. Requests go over
 * a raw socket so that the path arrives exactly as written; each asserts what the client got and
 * that the upstream saw nothing.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class ProxyPathEscapeTest {

  private static final String DOT_SEGMENT = "Bad Request: the path contains a dot segment\n";
  private static final String SLASH =
      "Bad Request: the path contains an encoded slash or a backslash\n";

  private static ProxyChain chain;

  @BeforeAll
  static void start(ProxyServers servers) throws Exception {
    Map<String, UnaryOperator<ProxyConfigBuilder>> routes = new LinkedHashMap<>();
    routes.put("api", b -> b.targetUri(b.build().targetUri() + "/base"));
    routes.put("root", b -> b);
    chain = servers.chain(routes);
  }

  @BeforeEach
  void forgetEarlierRequests() {
    chain.echo.clear();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/app/api/../api/secret",
        "/app/api/x/../../api/secret",
        "/app/api/secret/..",
        "/app/api/%2e%2e/api/secret",
        "/app/api/%2E%2E/api/secret",
        "/app/api/.%2e/api/secret",
        "/app/api/%2e./api/secret",
        "/app/api/..;/api/secret",
        "/app/api/..;a=b/api/secret",
        "/app/api/%2e%2e%3bx/secret",
        "/app/api/./secret",
        "/app/api/.;/secret",
        "/app/api/%2e/secret",
        "/app/api/secret/.",
        "/app/api/.",
        "/app/x/../api/secret",
        "/app/./api/secret",
      })
  void dotSegmentsCannotClimbOutOfTheTargetPrefix(String rawPath) throws Exception {
    RawHttp.Response response = get(rawPath);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).singleElement().asString().startsWith("text/plain");
    assertThat(response.text()).isEqualTo(DOT_SEGMENT);
    assertThat(chain.echo.drain()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/app/api/a%2Fb",
        "/app/api/a%2fb",
        "/app/api/..%2Fsecret",
        "/app/api/%2F%2Fhost/x",
        "/app/api/a%5Cb",
        "/app/api/a%5cb",
        "/app/api/..%5Csecret",
        "/app/api/a\\b",
        "/app/api/..\\secret",
      })
  void encodedSlashOrBackslashCannotSmuggleASegment(String rawPath) throws Exception {
    RawHttp.Response response = get(rawPath);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).isEqualTo(SLASH);
    assertThat(chain.echo.drain()).isEmpty();
  }

  /** Forms Jetty 12 itself resolves above the servlet's mapping and answers 404 to. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/app/api/..", "/app/api/../../etc/passwd", "/app/api/%2e%2e;x/secret"})
  void pathsTheContainerRefusesNeverReachTheUpstream(String rawPath) throws Exception {
    RawHttp.Response response = get(rawPath);

    assertThat(response.status()).isBetween(400, 499);
    assertThat(chain.echo.drain()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/app/api/...               | /base/...",
        "/app/api/.well-known/jwks  | /base/.well-known/jwks",
        "/app/api/a..b/c.d          | /base/a..b/c.d",
        "/app/api/x;v=../y          | /base/x;v=../y",
        "/app/api/%2e%2e%2e         | /base/%2e%2e%2e",
        "/app/api/%252e%252e/x      | /base/%252e%252e/x",
        "/app/api/a%25b?p=../x      | /base/a%25b?p=../x",
      })
  void namesWithDotsStillPass(String rawPath, String upstreamPath) throws Exception {
    RawHttp.Response response = get(rawPath);

    assertThat(response.status()).isEqualTo(200);
    assertThat(chain.echo.take().rawUri()).isEqualTo(upstreamPath);
  }

  /** Found by fuzzing (docs/fuzzing.md): at a root target the path would be sent as it is. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/app/root//evil.example/x", "/app/root//", "/app/root///x"})
  void aPathThatWouldNameAnotherHostAtARootTargetIsRefused(String rawPath) throws Exception {
    RawHttp.Response response = get(rawPath);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).isEqualTo("Bad Request: the path starts with an empty segment\n");
    assertThat(chain.echo.drain()).isEmpty();
  }

  @Test
  void emptySegmentsFurtherInStillPass() throws Exception {
    RawHttp.Response response = get("/app/root/a//b");

    assertThat(response.status()).isEqualTo(200);
    assertThat(chain.echo.take().rawUri()).isEqualTo("/a//b");
  }

  private static RawHttp.Response get(String rawPath) throws Exception {
    return RawHttp.exchange(
        chain.proxy.port(), "GET " + rawPath + " HTTP/1.1", "Host: 127.0.0.1", "Connection: close");
  }
}
