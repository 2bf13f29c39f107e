package dev.oidcgate.oidc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.testlogs.SecretLedger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code preservePost} on two nodes sharing a real Redis: a form kept by the node that got it is
 * replayed by the node the login comes back to, once across both, and Redis holds it sealed.
 */
@Timeout(90)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class PreservePostAcrossNodesTest {

  private static RedisServer redis;
  private TestAuthServer op;
  private FilterServers apps;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startNew();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  private static URI onNode(URI uri, FilterServer node) {
    return node.uri(
        uri.getRawPath().substring("/app".length())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
  }

  @Test
  void aFormKeptOnOneNodeIsReplayedOnTheOtherOnce() throws Exception {
    TwoNodes nodes = new TwoNodes(apps, op, redis, "cookie", Map.of("preservePost", "on"));
    TestBrowser browser = new TestBrowser();
    String secret = "across-" + UUID.randomUUID();
    SecretLedger.record("preserved form body", secret);
    URI a = nodes.a.uri("/");
    HttpResponse<String> toLogin =
        browser.post(
            nodes.a.uri("/orders"),
            "application/x-www-form-urlencoded",
            "item=" + secret,
            "Accept",
            "text/html",
            "Sec-Fetch-Site",
            "same-origin",
            "Sec-Fetch-Mode",
            "navigate",
            "Origin",
            a.getScheme() + "://" + a.getHost() + ":" + a.getPort());
    assertThat(toLogin.statusCode()).isEqualTo(303);
    String kept = redis.keys().lines().filter(k -> k.contains(":pp:")).findFirst().orElseThrow();
    assertThat(redis.value(kept)).startsWith("ey").doesNotContain(secret).doesNotContain("item");

    // The IdP sends the browser back; the balancer gives the callback to node B.
    URI callbackOnA = TestBrowser.location(browser.get(TestBrowser.location(toLogin)));
    HttpResponse<String> callback = browser.get(onNode(callbackOnA, nodes.b));
    assertThat(callback.statusCode()).isEqualTo(302);
    String ticket = browser.cookie("oidc_login_replay.post");
    HttpResponse<String> replayed = browser.get(nodes.b.uri("/orders"));
    assertThat(FilterServer.seen(replayed).get("method")).isEqualTo("POST");
    assertThat(FilterServer.seen(replayed).get("parameters"))
        .isEqualTo(Map.of("item", List.of(secret)));

    // The same ticket on node A: taken already, a GET.
    browser.setCookie(a, "oidc_login_replay.post", ticket);
    HttpResponse<String> again = browser.get(nodes.a.uri("/orders"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(again).get("method")).isEqualTo("GET");
  }
}
