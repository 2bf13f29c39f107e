package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sample WAR, unchanged, on two real Tomcats that share one real Redis through the environment
 * alone ({@code OIDC_SESSION_STORE=redis}, {@code OIDC_REDIS_URI}): a login on one node serves the
 * other, and a back-channel logout posted to {@code /oidc-route/backchannel-logout} of one node
 * ends the session on both.
 */
class RedisNodesOnTomcatIT {

  private static final String SECRET = "tomcat-it-session-secret-0123456789abcdef";

  private static RedisServer redis;
  private static TestAuthServer op;
  private static EchoUpstream upstream;
  private static TomcatProcess one;
  private static TomcatProcess two;

  @BeforeAll
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    redis = RedisServer.startNew();
    op = new TestAuthServer();
    op.idTokenTweak = b -> b.claim("sid", "op-session-1");
    upstream = new EchoUpstream();
    Map<String, String> env = new HashMap<>();
    env.put("OIDC_ISSUER", op.issuer());
    env.put("OIDC_CLIENT_ID", TestAuthServer.CLIENT_ID);
    env.put("OIDC_CLIENT_SECRET", TestAuthServer.CLIENT_SECRET);
    env.put("UPSTREAM_URL", upstream.url());
    env.put("OIDC_SESSION_SECRET", SECRET);
    env.put("OIDC_SESSION_STORE", "redis");
    env.put("OIDC_REDIS_URI", redis.uri());
    one = TomcatProcess.forSampleWar("catalina-base-redis-1");
    two = TomcatProcess.forSampleWar("catalina-base-redis-2");
    one.start(env);
    two.start(env);
    for (TomcatProcess t : new TomcatProcess[] {one, two}) {
      t.awaitStatus("/app/api/get", 401, Duration.ofSeconds(90));
    }
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stop() throws Exception {
    Teardown.closeAll(one, two, upstream, op, redis);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aLoginOnOneNodeServesTheOtherAndABackchannelLogoutToOneEndsItOnBoth() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> landed = awaitLogin(browser);
    assertThat(landed.statusCode()).as(one.logTail()).isEqualTo(200);
    assertThat(browser.get(two.url("/app/me")).statusCode()).as(two.logTail()).isEqualTo(200);
    assertThat(redis.keyCount()).isPositive();

    HttpResponse<String> logout = postLogoutToken(two, logoutToken());

    assertThat(logout.statusCode()).as(two.logTail()).isEqualTo(200);
    assertThat(logout.headers().firstValue("Cache-Control")).hasValue("no-store");
    for (TomcatProcess t : new TomcatProcess[] {one, two}) {
      HttpResponse<String> after = browser.get(t.url("/app/oidc-route/get"));
      assertThat(after.statusCode()).as(t.logTail()).isEqualTo(302);
      assertThat(Browser.location(after).toString()).startsWith(op.issuer() + "/authorize?");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aForgedLogoutTokenGets400() throws Exception {
    HttpResponse<String> r = postLogoutToken(one, "eyJhbGciOiJub25lIn0.e30.");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid_request").doesNotContain("Exception");
  }

  /** Signs in on node one; the filter reads the OP's metadata in the background at first. */
  private static HttpResponse<String> awaitLogin(Browser browser) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> r = browser.navigate(one.url("/app/oidc-route/get"));
    while (r.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = browser.navigate(one.url("/app/oidc-route/get"));
    }
    return r;
  }

  private static String logoutToken() {
    long now = System.currentTimeMillis();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(op.issuer())
            .audience(TestAuthServer.CLIENT_ID)
            .issueTime(new Date(now))
            .jwtID(UUID.randomUUID().toString())
            .claim("sid", "op-session-1")
            .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(op.signingKey().getKeyID())
            .type(new JOSEObjectType("logout+jwt"))
            .build();
    return TestIdp.sign(op.signingKey(), header, claims);
  }

  private static HttpResponse<String> postLogoutToken(TomcatProcess node, String token)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(node.url("/app/oidc-route/backchannel-logout"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
