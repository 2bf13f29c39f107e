package dev.oidcgate.oidc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The token an upstream gets ({@code upstreamToken}, {@code upstream_token=} on a path line),
 * against a token endpoint served over real HTTP: an exchanged token goes only to the target it was
 * made for and only for the caller it was made from; a refused exchange is 502 and never the
 * caller's own token; the app's own token is fetched once for concurrent requests and renewed
 * before it expires.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class UpstreamTokenTest {

  private static final String TOKEN_PATH = "/realms/test/token";

  private TestIdp idp;
  private FilterServers apps;

  private Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    return p;
  }

  private Map<String, String> twoUpstreams() {
    Map<String, String> p = params();
    p.put(
        "pathRules",
        "/orders/* upstream_token=exchange upstream_audience=orders;"
            + " /billing/* upstream_token=exchange upstream_audience=billing upstream_scope=pay;"
            + " /plain/* upstream_token=none");
    return p;
  }

  /** The token endpoint exchanges {@code callerToken} for {@code audience} as {@code issued}. */
  private void exchanges(String callerToken, String audience, String issued) {
    idp.wireMock()
        .stubFor(
            post(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(
                    containing(
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"))
                .withRequestBody(containing("subject_token=" + callerToken))
                .withRequestBody(
                    containing(
                        "subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"))
                .withRequestBody(containing("audience=" + audience))
                .willReturn(tokenResponse(issued, 300)));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder tokenResponse(
      String token, int expiresIn) {
    return aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody(
            "{\"access_token\":\""
                + token
                + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + expiresIn
                + ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}");
  }

  private int tokenRequests(String bodyPart) {
    return idp.wireMock()
        .countRequestsMatching(
            postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(containing(bodyPart))
                .build())
        .getCount();
  }

  private static Object authorization(HttpResponse<String> r) throws Exception {
    return ((Map<?, ?>) seen(r).get("headers")).get("authorization");
  }

  private String caller(String subject) {
    return idp.rs256(c -> c.subject(subject));
  }

  @Test
  void anExchangedTokenGoesOnlyToTheTargetItWasMadeFor() throws Exception {
    FilterServer app = apps.start(twoUpstreams());
    String alice = caller("alice");
    exchanges(alice, "orders", "alice-for-orders");
    exchanges(alice, "billing", "alice-for-billing");

    HttpResponse<String> orders = app.get("/orders/1", "Authorization", "Bearer " + alice);
    HttpResponse<String> billing = app.get("/billing/1", "Authorization", "Bearer " + alice);
    HttpResponse<String> ordersAgain = app.get("/orders/2", "Authorization", "Bearer " + alice);
    HttpResponse<String> elsewhere = app.get("/profile", "Authorization", "Bearer " + alice);

    assertThat(orders.statusCode()).isEqualTo(200);
    assertThat(authorization(orders)).isEqualTo(List.of("Bearer alice-for-orders"));
    assertThat(billing.statusCode()).isEqualTo(200);
    assertThat(authorization(billing)).isEqualTo(List.of("Bearer alice-for-billing"));
    assertThat(authorization(ordersAgain)).isEqualTo(List.of("Bearer alice-for-orders"));
    // a path no line names keeps today's behaviour: the caller's own token
    assertThat(authorization(elsewhere)).isEqualTo(List.of("Bearer " + alice));
    // one exchange per target, the second request to /orders served from the cache; the scope of
    // the billing line went to the provider with its exchange
    assertThat(tokenRequests("audience=orders")).isEqualTo(1);
    assertThat(tokenRequests("audience=billing")).isEqualTo(1);
    assertThat(tokenRequests("scope=pay")).isEqualTo(1);
  }

  @Test
  void theCacheNeverHandsOneCallersExchangedTokenToAnother() throws Exception {
    FilterServer app = apps.start(twoUpstreams());
    String alice = caller("alice");
    String bob = caller("bob");
    exchanges(alice, "orders", "alice-for-orders");
    exchanges(bob, "orders", "bob-for-orders");

    List<Object> seenByUpstream = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seenByUpstream.add(authorization(app.get("/orders/1", "Authorization", "Bearer " + alice)));
      seenByUpstream.add(authorization(app.get("/orders/1", "Authorization", "Bearer " + bob)));
    }

    for (int i = 0; i < 6; i += 2) {
      assertThat(seenByUpstream.get(i)).isEqualTo(List.of("Bearer alice-for-orders"));
      assertThat(seenByUpstream.get(i + 1)).isEqualTo(List.of("Bearer bob-for-orders"));
    }
    assertThat(tokenRequests("subject_token=" + alice)).isEqualTo(1);
    assertThat(tokenRequests("subject_token=" + bob)).isEqualTo(1);
  }

  @Test
  void aRefusedExchangeIs502AndNeverTheCallersToken() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      refusedExchange(registry);
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  private void refusedExchange(SimpleMeterRegistry registry) throws Exception {
    Map<String, String> p = twoUpstreams();
    p.put("metrics", "micrometer");
    FilterServer app = apps.start(p);
    String mallory = caller("mallory");
    idp.wireMock()
        .stubFor(
            post(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(containing("subject_token=" + mallory))
                .willReturn(
                    aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"access_denied\"}")));

    HttpResponse<String> r = app.get("/orders/1", "Authorization", "Bearer " + mallory);
    HttpResponse<String> again = app.get("/orders/1", "Authorization", "Bearer " + mallory);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"upstream_token_unavailable\",\"error_description\":\"The identity"
                + " provider did not exchange the token for the upstream\"}")
        .doesNotContain(mallory);
    assertThat(app.appRequests()).isZero();
    // a refusal is not cached as a token: the next request asks again, and is refused again
    assertThat(again.statusCode()).isEqualTo(502);
    assertThat(tokenRequests("subject_token=" + mallory)).isEqualTo(2);
    assertThat(
            registry
                .find("oidc.gate.upstream.tokens")
                .tag("kind", "exchange")
                .tag("outcome", "failed")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void onAPublicPathARefusedExchangeGoesOnWithoutAnyToken() throws Exception {
    Map<String, String> p = twoUpstreams();
    p.put("publicPaths", "/orders/public");
    FilterServer app = apps.start(p);
    String mallory = caller("mallory");
    idp.wireMock()
        .stubFor(
            post(urlPathEqualTo(TOKEN_PATH))
                .willReturn(
                    aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"access_denied\"}")));

    HttpResponse<String> r = app.get("/orders/public", "Authorization", "Bearer " + mallory);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(((Map<?, ?>) seen(r).get("headers")).containsKey("authorization")).isFalse();
    assertThat(r.body()).doesNotContain(mallory);
  }

  @Test
  void aMethodOverrideOntoALineWithAnotherUpstreamTokenIs400() throws Exception {
    Map<String, String> p = params();
    p.put("methodOverrideHeaders", "allow");
    p.put(
        "pathRules",
        "DELETE /orders/* upstream_token=none; /orders/* upstream_token=exchange"
            + " upstream_audience=orders");
    FilterServer app = apps.start(p);
    String alice = caller("alice");

    HttpResponse<String> r =
        app.get(
            "/orders/1", "Authorization", "Bearer " + alice, "X-HTTP-Method-Override", "DELETE");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("The method override names a path with another upstream token");
    assertThat(app.appRequests()).isZero();
    assertThat(tokenRequests("grant_type")).isZero();
  }

  @Test
  void anUnreachableTokenEndpointIs502WithoutTheCallersToken() throws Exception {
    Map<String, String> p = params();
    p.put("upstreamToken", "exchange");
    p.put("upstreamAudience", "orders");
    FilterServer app = apps.start(p);
    String alice = caller("alice");
    idp.wireMock()
        .stubFor(
            post(urlPathEqualTo(TOKEN_PATH))
                .willReturn(
                    aResponse()
                        .withFault(
                            com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

    HttpResponse<String> r = app.getWithToken(alice);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body())
        .contains("The identity provider could not be reached for the upstream's token")
        .doesNotContain(alice);
    assertThat(app.appRequests()).isZero();
  }

  @Test
  void aPathWithNoneSendsNoTokenUpstream() throws Exception {
    FilterServer app = apps.start(twoUpstreams());
    String alice = caller("alice");

    HttpResponse<String> r = app.get("/plain/1", "Authorization", "Bearer " + alice);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo("alice");
    assertThat(((Map<?, ?>) seen(r).get("headers")).containsKey("authorization")).isFalse();
    assertThat(r.body()).doesNotContain(alice);
  }

  @Test
  void theAppsOwnTokenIsFetchedOnceForConcurrentRequestsAndRenewedBeforeItExpires()
      throws Exception {
    Map<String, String> p = params();
    p.put("upstreamToken", "client");
    p.put("upstreamScope", "inventory");
    FilterServer app = apps.start(p);
    String alice = caller("alice");
    // lives 4 s, so it is used for 3 s (a quarter of its lifetime before expiry); the first answer
    // is slow, so that the concurrent requests all wait for it
    idp.wireMock()
        .stubFor(
            post(urlPathEqualTo(TOKEN_PATH))
                .inScenario("client")
                .whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("scope=inventory"))
                .willReturn(tokenResponse("app-token-1", 4).withFixedDelay(700))
                .willSetStateTo("renewed"));
    idp.wireMock()
        .stubFor(
            post(urlPathEqualTo(TOKEN_PATH))
                .inScenario("client")
                .whenScenarioStateIs("renewed")
                .withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(tokenResponse("app-token-2", 4)));

    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<HttpResponse<String>>> all = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        Callable<HttpResponse<String>> call = () -> app.getWithToken(alice);
        all.add(pool.submit(call));
      }
      for (Future<HttpResponse<String>> f : all) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(authorization(r)).isEqualTo(List.of("Bearer app-token-1"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(tokenRequests("grant_type=client_credentials")).isEqualTo(1);

    Thread.sleep(1_000);
    assertThat(authorization(app.getWithToken(alice))).isEqualTo(List.of("Bearer app-token-1"));
    Thread.sleep(2_200); // past 3 s after it was issued, before it expires at 4 s
    HttpResponse<String> renewed = app.getWithToken(alice);

    assertThat(authorization(renewed)).isEqualTo(List.of("Bearer app-token-2"));
    assertThat(tokenRequests("grant_type=client_credentials")).isEqualTo(2);
    // the app's own token, never the caller's, and the client authenticated itself
    assertThat(renewed.body()).doesNotContain(alice);
    assertThat(
            idp.wireMock()
                .findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))
                .get(0)
                .getHeader("Authorization"))
        .startsWith("Basic ");
  }

  @Test
  void theAppsOwnTokenIsSharedByTheNodesThroughRedis() throws Exception {
    RedisServer redis = apps.closeAfter(RedisServer.startNew());
    Map<String, String> p = params();
    p.put("upstreamToken", "client");
    p.put("upstreamScope", "inventory");
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("redisUri", redis.uri());
    p.put("redisTimeout", "2s");
    FilterServer a = apps.start(p);
    FilterServer b = apps.start(p);
    String alice = caller("alice");
    idp.wireMock()
        .stubFor(
            post(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(tokenResponse("fleet-token", 300)));

    HttpResponse<String> first = a.getWithToken(alice);
    HttpResponse<String> other = b.getWithToken(alice);

    assertThat(authorization(first)).isEqualTo(List.of("Bearer fleet-token"));
    assertThat(authorization(other)).isEqualTo(List.of("Bearer fleet-token"));
    assertThat(tokenRequests("grant_type=client_credentials")).isEqualTo(1);
    // stored sealed: a Redis reader gets no usable token
    String key =
        redis
            .keys()
            .lines()
            .map(String::trim)
            .filter(k -> k.contains(":uct:"))
            .findFirst()
            .orElseThrow();
    assertThat(redis.value(key)).isNotNull().doesNotContain("fleet-token");
  }

  @Test
  void exchangeWithoutAClientIdFailsAtStartUpNamingTheKey() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("audience", "my-api");
    p.put("upstreamToken", "exchange");

    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("upstreamToken")
        .hasMessageContaining("needs clientId");
  }

  @Test
  void aBadPathRuleUpstreamWordFailsAtStartUpNamingPathRules() {
    Map<String, String> p = params();
    p.put("pathRules", "/orders/* upstream_token=someone-elses");

    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("pathRules")
        .hasMessageContaining("write caller, exchange, client or none");
  }
}
