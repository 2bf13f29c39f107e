package dev.oidcgate.oidc.cluster;

import static dev.oidcgate.oidc.cluster.TwoNodes.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenID Connect Front-Channel Logout 1.0 ({@code frontchannelLogoutPath}) on two nodes sharing a
 * real Redis: what the IdP's logout page loads in an iframe ends the IdP session on every node, or,
 * without {@code sid}, the session of the browser that loads it; a foreign {@code iss} is refused.
 */
@Timeout(90)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class FrontchannelLogoutTest {

  private static final String PATH = "/frontchannel-logout";

  private static RedisServer redis;
  private TestAuthServer op;
  private FilterServers apps;
  private TwoNodes nodes;
  private final HttpClient iframe =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startNew();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void idTokensCarryTheOpSession() {
    op.idTokenTweak = b -> b.claim("sid", "op-session-1");
  }

  private void start(String store) throws Exception {
    nodes = new TwoNodes(apps, op, redis, store, Map.of("frontchannelLogoutPath", PATH));
  }

  private URI logoutUri(FilterServer node, String query) {
    return node.uri(PATH + (query.isEmpty() ? "" : "?" + query));
  }

  private String issParam() {
    return "iss=" + URLEncoder.encode(op.issuer(), StandardCharsets.UTF_8);
  }

  /** What an IdP's iframe on another site sends: no cookie of ours. */
  private HttpResponse<String> loadWithoutCookies(URI uri) throws Exception {
    return iframe.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "cookie"})
  void issAndSidLoadedOnOneNodeEndThatIdpSessionOnBothNodes(String store) throws Exception {
    start(store);
    TestBrowser browser = nodes.signIn();
    op.idTokenTweak = b -> b.claim("sid", "op-session-2");
    TestBrowser otherIdpSession = nodes.signIn();
    assertThat(status(browser, nodes.b)).isEqualTo(200);

    HttpResponse<String> r =
        loadWithoutCookies(logoutUri(nodes.b, issParam() + "&sid=op-session-1"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Signed out");
    for (FilterServer node : nodes.both()) {
      assertThat(status(browser, node)).isEqualTo(302);
      assertThat(status(otherIdpSession, node)).isEqualTo(200); // another sid lives on
    }
  }

  @Test
  void thePageMayBeFramedOnlyByTheIssuersOriginAndIsNeverCached() throws Exception {
    start("redis");
    URI issuer = URI.create(op.issuer());
    String origin = issuer.getScheme() + "://" + issuer.getHost() + ":" + issuer.getPort();

    HttpResponse<String> r = loadWithoutCookies(logoutUri(nodes.a, issParam() + "&sid=x"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'; frame-ancestors " + origin);
    assertThat(r.headers().firstValue("X-Frame-Options")).isEmpty();
  }

  @Test
  void aForeignIssIsRefusedWith400AndEndsNothing() throws Exception {
    start("redis");
    TestBrowser browser = nodes.signIn();

    HttpResponse<String> r =
        browser.get(
            logoutUri(
                nodes.a,
                "iss="
                    + URLEncoder.encode("https://evil.example/realm", StandardCharsets.UTF_8)
                    + "&sid=op-session-1"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"invalid_request\",\"error_description\":\"iss is not an issuer of this"
                + " application\"}");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
    assertThat(status(browser, nodes.b)).isEqualTo(200);
  }

  @Test
  void withoutSidOnlyTheSessionOfTheBrowserThatLoadsThePageEnds() throws Exception {
    start("redis");
    TestBrowser loads = nodes.signIn();
    TestBrowser sameIdpSessionElsewhere = nodes.signIn(); // same sid, another browser

    HttpResponse<String> r = loads.get(logoutUri(nodes.b, issParam()));

    assertThat(r.statusCode()).isEqualTo(200);
    for (FilterServer node : nodes.both()) {
      assertThat(status(loads, node)).isEqualTo(302);
      assertThat(status(sameIdpSessionElsewhere, node)).isEqualTo(200);
    }
  }

  @Test
  void withoutSidAndWithoutOurCookieNothingEnds() throws Exception {
    start("redis");
    TestBrowser browser = nodes.signIn();

    HttpResponse<String> r = loadWithoutCookies(logoutUri(nodes.a, issParam()));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(status(browser, nodes.a)).isEqualTo(200);
  }

  @Test
  void sidWithoutIssAndAPostAreRefused() throws Exception {
    start("redis");
    TestBrowser browser = nodes.signIn();

    HttpResponse<String> noIss = browser.get(logoutUri(nodes.a, "sid=op-session-1"));
    HttpResponse<String> post = browser.postForm(logoutUri(nodes.a, ""), issParam());

    assertThat(noIss.statusCode()).isEqualTo(400);
    assertThat(noIss.body()).contains("sid needs iss");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    assertThat(status(browser, nodes.a)).isEqualTo(200);
  }

  @Test
  void offByDefault() throws Exception {
    nodes = new TwoNodes(apps, op, redis, "redis", Map.of());
    TestBrowser browser = nodes.signIn();

    HttpResponse<String> r = browser.get(logoutUri(nodes.a, issParam() + "&sid=op-session-1"));

    // Not an endpoint: an ordinary protected path, passed to the app as the signed-in caller.
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(r).get("principal")).isEqualTo("alice");
    assertThat(status(browser, nodes.b)).isEqualTo(200);
  }
}
