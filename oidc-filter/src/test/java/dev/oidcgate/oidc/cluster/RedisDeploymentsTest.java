package dev.oidcgate.oidc.cluster;

import static dev.oidcgate.oidc.cluster.TwoNodes.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisSentinel;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Redis as deployed beyond the plain test server: with a password, and as a Redis Cluster. */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class RedisDeploymentsTest {

  private static final String PASSWORD = "redis-pass-0123456789";

  /** Connecting through Sentinel or to a Cluster takes several round trips. */
  private static final String SLOW = "5s";

  private TestAuthServer op;
  private RedisServer redis;
  private FilterServers apps;
  private TwoNodes nodes;

  @BeforeEach
  void idTokensCarryTheOpSession() {
    op.idTokenTweak = b -> b.claim("sid", "op-session-1");
  }

  @Test
  void aPasswordInRedisUriIsUsedAndNodesShareSessions() throws Exception {
    redis = apps.closeAfter(RedisServer.startNew(PASSWORD, false));
    nodes = new TwoNodes(apps, op, redis, "redis", Map.of());
    TestBrowser browser = nodes.signIn();
    assertThat(status(browser, nodes.b)).isEqualTo(200);
    assertThat(redis.keyCount()).isPositive();
  }

  @Test
  void aWrongRedisPasswordGives503AndNeverShowsThePassword() throws Exception {
    redis = apps.closeAfter(RedisServer.startNew(PASSWORD, false));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("redisUri", "redis://:wrong-password-xyz@127.0.0.1:" + redis.port() + "/0");
    nodes = new TwoNodes(apps, op, redis, "redis", p);
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> end = browser.navigate(nodes.a.uri("/resource"));

    assertThat(end.statusCode()).isEqualTo(503);
    assertThat(end.headers().firstValue("Retry-After")).isPresent();
    assertThat(end.body()).doesNotContain("wrong-password-xyz").doesNotContain("Exception");
  }

  @Test
  void aRedisFoundThroughSentinelServesBothNodes() throws Exception {
    redis = apps.closeAfter(RedisServer.startNew());
    try (RedisSentinel sentinel = RedisSentinel.monitoring(redis)) {
      nodes =
          new TwoNodes(
              apps, op, redis, "redis", Map.of("redisUri", sentinel.uri(), "redisTimeout", SLOW));
      TestBrowser browser = nodes.signIn();
      assertThat(status(browser, nodes.b)).isEqualTo(200);
      assertThat(redis.keyCount()).isPositive(); // the sessions went to the master
    }
  }

  @Test
  void aRedisClusterServesSessionsLogoutRecordsAndReplayChecks() throws Exception {
    redis = apps.closeAfter(RedisServer.startNew(null, true));
    nodes =
        new TwoNodes(
            apps, op, redis, "redis", Map.of("redisCluster", "true", "redisTimeout", SLOW));
    TestBrowser browser = nodes.signIn();
    assertThat(status(browser, nodes.b)).isEqualTo(200);

    String token = nodes.logoutToken(c -> c.claim("sid", "op-session-1"));
    assertThat(nodes.postLogoutToken(nodes.b, token).statusCode()).isEqualTo(200);
    assertThat(nodes.postLogoutToken(nodes.a, token).statusCode()).isEqualTo(400);
    for (FilterServer node : nodes.both()) {
      assertThat(status(browser, node)).isEqualTo(302);
    }
  }
}
