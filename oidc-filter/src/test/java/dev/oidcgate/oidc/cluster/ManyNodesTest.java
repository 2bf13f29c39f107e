package dev.oidcgate.oidc.cluster;

import static dev.oidcgate.oidc.cluster.TwoNodes.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.IdpFaults;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several app nodes against one real Redis: shared sessions, logout (RP-initiated and back-channel)
 * seen by every node, one refresh across nodes, and a Redis outage.
 */
@Timeout(90)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class ManyNodesTest {

  private static RedisServer redis;
  private TestAuthServer op;
  private FilterServers apps;
  private TwoNodes nodes;

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
    nodes = new TwoNodes(apps, op, redis, store, Map.of());
  }

  @Test
  void aRedisSessionMadeOnOneNodeServesTheOtherAndRedisHoldsNoIdOrTokenInClear() throws Exception {
    start("redis");
    TestBrowser browser = nodes.signIn();
    HttpResponse<String> onB = browser.get(nodes.b.uri("/resource"));
    assertThat(onB.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(onB).get("principal")).isEqualTo("alice");

    String id = browser.cookie("oidc_session");
    assertThat(id).matches("[A-Za-z0-9_-]{43}"); // only an unguessable id, no tokens
    String keys = redis.keys();
    assertThat(keys).doesNotContain(id);
    String sessionKey = keys.lines().filter(k -> k.contains(":s:")).findFirst().orElseThrow();
    String stored = redis.value(sessionKey);
    assertThat(stored).startsWith("ey").doesNotContain("alice").doesNotContain(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "cookie"})
  void aBackchannelLogoutSentToOneNodeEndsTheSessionOnBoth(String store) throws Exception {
    start(store);
    TestBrowser browser = nodes.signIn();
    assertThat(status(browser, nodes.b)).isEqualTo(200);
    TestBrowser other = nodes.signIn(); // another IdP session of alice, with another sid
    op.idTokenTweak = b -> b.claim("sid", "op-session-2");
    TestBrowser third = nodes.signIn();

    HttpResponse<String> r =
        nodes.postLogoutToken(nodes.b, nodes.logoutToken(c -> c.claim("sid", "op-session-1")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    for (FilterServer node : nodes.both()) {
      assertThat(status(browser, node)).isEqualTo(302);
      assertThat(status(other, node)).isEqualTo(302); // same sid: the same IdP session
      assertThat(status(third, node)).isEqualTo(200); // another sid lives on
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "cookie"})
  void aLogoutTokenWithOnlySubEndsEverySessionOfTheSubjectMadeBeforeIt(String store)
      throws Exception {
    start(store);
    TestBrowser first = nodes.signIn();
    op.idTokenTweak = b -> {};
    TestBrowser second = nodes.signIn();

    HttpResponse<String> r =
        nodes.postLogoutToken(nodes.a, nodes.logoutToken(c -> c.subject("alice")));

    assertThat(r.statusCode()).isEqualTo(200);
    for (FilterServer node : nodes.both()) {
      assertThat(status(first, node)).isEqualTo(302);
      assertThat(status(second, node)).isEqualTo(302);
    }
    Thread.sleep(5); // a login after the logout is a new session and is not ended
    TestBrowser after = nodes.signIn();
    assertThat(status(after, nodes.b)).isEqualTo(200);
  }

  @Test
  void aLogoutTokenWithSidAndSubEndsTheSubjectsSessionsWhoseIdTokenHadNoSid() throws Exception {
    op.idTokenTweak = b -> {}; // an IdP that puts sid into logout tokens only
    start("cookie");
    TestBrowser withoutSid = nodes.signIn();
    op.idTokenTweak = b -> b.claim("sid", "op-session-9");
    TestBrowser otherIdpSession = nodes.signIn();

    HttpResponse<String> r =
        nodes.postLogoutToken(
            nodes.b, nodes.logoutToken(c -> c.subject("alice").claim("sid", "op-session-1")));

    assertThat(r.statusCode()).isEqualTo(200);
    for (FilterServer node : nodes.both()) {
      assertThat(status(withoutSid, node)).isEqualTo(302);
      assertThat(status(otherIdpSession, node)).isEqualTo(200); // its own sid does not match
    }
  }

  @Test
  void anOldCookieSessionReplayedAfterLogoutIsWorthlessOnEveryNode() throws Exception {
    start("cookie");
    TestBrowser browser = nodes.signIn();
    TestBrowser thief = new TestBrowser();
    thief.copyCookiesFrom(browser, nodes.a.uri("/"));
    assertThat(status(thief, nodes.b)).isEqualTo(200);

    HttpResponse<String> logout = browser.get(nodes.a.uri("/logout"));
    assertThat(logout.statusCode()).isEqualTo(302);

    assertThat(status(thief, nodes.b)).isEqualTo(302);
    assertThat(status(thief, nodes.a)).isEqualTo(302);
  }

  @Test
  void aReplayedLogoutTokenIsRefusedOnTheOtherNode() throws Exception {
    start("redis");
    String token = nodes.logoutToken(c -> c.claim("sid", "some-other-session"));
    assertThat(nodes.postLogoutToken(nodes.a, token).statusCode()).isEqualTo(200);

    HttpResponse<String> replay = nodes.postLogoutToken(nodes.b, token);

    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).contains("already used");
    assertThat(nodes.postLogoutToken(nodes.a, token).statusCode()).isEqualTo(400);
  }

  @Test
  void redisStoppedGives503WithRetryAfterAndAfterItsRestartTheSameSessionWorks() throws Exception {
    start("redis");
    TestBrowser browser = nodes.signIn();
    redis.stop();
    try {
      for (FilterServer node : nodes.both()) {
        HttpResponse<String> down = browser.get(node.uri("/resource"));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
        assertThat(down.body()).doesNotContain("Exception").doesNotContain("at dev.");
        HttpResponse<String> logout =
            nodes.postLogoutToken(node, nodes.logoutToken(c -> c.claim("sid", "x")));
        assertThat(logout.statusCode()).isEqualTo(503);
      }
    } finally {
      redis.start();
    }
    for (FilterServer node : nodes.both()) {
      assertThat(eventually(() -> status(browser, node))).isEqualTo(200);
    }
  }

  @Test
  void theAppStartsWhileRedisIsDownAndConnectsOnceItIsUp() throws Exception {
    redis.stop();
    try {
      start("redis"); // no connection at start-up: it is made on first use
      TestBrowser browser = new TestBrowser();
      HttpResponse<String> end = browser.navigate(nodes.a.uri("/resource"));
      assertThat(end.statusCode()).isEqualTo(503); // the login cannot store its session
    } finally {
      redis.start();
    }
    Thread.sleep(1100); // a failed connection attempt is retried after a second
    TestBrowser browser = nodes.signIn();
    assertThat(status(browser, nodes.b)).isEqualTo(200);
  }

  @Test
  void cookieSessionsAnswer503WhileTheLogoutRecordsCannotBeRead() throws Exception {
    start("cookie");
    TestBrowser browser = nodes.signIn();
    redis.stop();
    try {
      assertThat(status(browser, nodes.b)).isEqualTo(503);
    } finally {
      redis.start();
    }
    assertThat(eventually(() -> status(browser, nodes.b))).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "cookie"})
  void concurrentRefreshesOnTwoNodesMakeOneRefreshGrant(String store) throws Exception {
    op.accessTokenLifetime = 4; // due for refresh after half its life
    start(store);
    TestBrowser browser = nodes.signIn();
    int before = op.refreshRequests.get(); // a slow login may have refreshed once already
    Thread.sleep(2300);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        FilterServer node = i % 2 == 0 ? nodes.a : nodes.b;
        TestBrowser copy = new TestBrowser();
        copy.copyCookiesFrom(browser, node.uri("/"));
        answers.add(pool.submit(() -> status(copy, node)));
      }
      for (Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(op.refreshRequests).hasValue(before + 1);
  }

  @Test
  void aRefreshThatOutlastsOneCallDeadlineIsStillMadeOnceAcrossNodes() throws Exception {
    op.accessTokenLifetime = 4;
    // One IdP call may take 9 s (1 s to connect, 8 s to answer).
    nodes =
        new TwoNodes(
            apps, op, redis, "redis", Map.of("httpConnectTimeout", "1s", "httpReadTimeout", "8s"));
    TestBrowser browser = nodes.signIn();
    TestBrowser sameUserOnB = new TestBrowser();
    sameUserOnB.copyCookiesFrom(browser, nodes.b.uri("/"));
    int before = op.refreshRequests.get(); // a slow login may have refreshed once already
    Thread.sleep(2300);
    // Node A's refresh: a slow token endpoint, then a new signing key whose key set is slow to
    // come, so that A works longer than one call's deadline, though each call keeps its own.
    op.rotateKey();
    op.faults.set("token", IdpFaults.Fault.SLOW);
    op.faults.set("jwks", IdpFaults.Fault.SLOW);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      long start = System.nanoTime();
      Future<Integer> onA = pool.submit(() -> slowStatus(browser, nodes.a));
      Thread.sleep(1000);
      Future<Integer> onB = pool.submit(() -> slowStatus(sameUserOnB, nodes.b));
      Thread.sleep(2000);
      op.faults.clear("token"); // A's refresh grant reaches the IdP, which rotates the token
      long keysBy = start + 10_000_000_000L; // before A's key fetch times out (3 s + 8 s)
      while (op.refreshRequests.get() < before + 2 && System.nanoTime() < keysBy) {
        Thread.sleep(50);
      }
      op.faults.clear("jwks");

      assertThat(onA.get()).isEqualTo(200);
      assertThat(onB.get()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    assertThat(op.refreshRequests).hasValue(before + 1);
  }

  @Test
  void withoutRefreshTokenRotationEachRefreshIsMadeAndNoOldResultComesBack() throws Exception {
    op.accessTokenLifetime = 4;
    op.rotateRefreshTokens = false; // the same refresh token at every refresh
    start("redis");
    TestBrowser browser = nodes.signIn();
    int before = op.refreshRequests.get(); // a slow login may have refreshed once already
    Thread.sleep(2300);
    HttpResponse<String> first = browser.get(nodes.a.uri("/resource"));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(op.refreshRequests).hasValue(before + 1);
    Thread.sleep(2300);

    HttpResponse<String> second = browser.get(nodes.b.uri("/resource"));

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(op.refreshRequests).hasValue(before + 2);
    assertThat(bearer(second)).isNotEqualTo(bearer(first));
  }

  /** {@link TwoNodes#status}, for a request that may wait for a refresh of up to 30 s. */
  private static int slowStatus(TestBrowser browser, FilterServer node) throws Exception {
    return browser.get(node.uri("/resource"), java.time.Duration.ofSeconds(30)).statusCode();
  }

  private static Object bearer(HttpResponse<String> r) throws Exception {
    return ((Map<?, ?>) FilterServer.seen(r).get("headers")).get("authorization");
  }

  /** Retries until 200 or 20 s: Lettuce reconnects by itself after Redis comes back. */
  private static int eventually(Callable<Integer> status) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    int last = status.call();
    while (last != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      last = status.call();
    }
    return last;
  }
}
