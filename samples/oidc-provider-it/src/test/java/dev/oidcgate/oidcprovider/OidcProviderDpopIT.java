package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code dpop=on} against oidc-provider with a client registered with {@code
 * dpop_bound_access_tokens}: the login through the OP's pages gets a DPoP-bound access token, the
 * proxy passes it to the upstream as {@code Authorization: DPoP} with a fresh proof for the
 * upstream request, the session survives a refresh with the same key, and logout revokes. Twice: an
 * OP that takes proofs as they come, and one that asks for a nonce first ({@code
 * OP_DPOP_NONCE=on}). And the same filter with {@code dpop=off}: the OP refuses the code exchange,
 * the browser gets the login error page.
 */
class OidcProviderDpopIT {

  /** Access tokens live this long (s) at these OPs, so the filter refreshes after half of it. */
  private static final int TOKEN_TTL = 6;

  private static OidcProviderServer plainOp;
  private static OidcProviderServer nonceOp;
  private static FilterServer upstream;

  @BeforeAll
  @Timeout(360)
  static void start() throws Exception {
    Path op = Path.of(System.getProperty("op.dir"));
    Path logs = Path.of(System.getProperty("op.logs"));
    OpDependencies.ensureInstalled(op, logs.resolve("npm-ci.log"), Duration.ofMinutes(5));
    plainOp = new OidcProviderServer(op, logs.resolve("dpop/op.log"));
    plainOp.start(
        "[]", Duration.ofSeconds(60), Map.of("OP_ACCESS_TOKEN_TTL", Integer.toString(TOKEN_TTL)));
    nonceOp = new OidcProviderServer(op, logs.resolve("dpop-nonce/op.log"));
    nonceOp.start(
        "[]",
        Duration.ofSeconds(60),
        Map.of("OP_ACCESS_TOKEN_TTL", Integer.toString(TOKEN_TTL), "OP_DPOP_NONCE", "on"));
    upstream = FilterServer.withFilterInstances(Map.of()); // the echo servlet alone
  }

  @AfterAll
  static void stop() {
    if (upstream != null) {
      upstream.close();
    }
    if (plainOp != null) {
      plainOp.close();
    }
    if (nonceOp != null) {
      nonceOp.close();
    }
  }

  @Test
  @Timeout(90)
  void aDpopBoundTokenReachesTheUpstreamWithAProofForTheUpstreamRequestAndSurvivesARefresh()
      throws Exception {
    signInRefreshAndLogOut(plainOp, Path.of(System.getProperty("op.logs"), "dpop/op.log"));
  }

  @Test
  @Timeout(90)
  void anOpThatAsksForADpopNonceGetsItOnTheRetryAndTheSessionWorksTheSame() throws Exception {
    signInRefreshAndLogOut(nonceOp, Path.of(System.getProperty("op.logs"), "dpop-nonce/op.log"));
  }

  @Test
  @Timeout(60)
  void withDpopOffTheCodeExchangeForADpopClientEndsOnTheLoginErrorPageNotA500() throws Exception {
    String id = "dpop-" + UUID.randomUUID();
    String secret = "secret-" + UUID.randomUUID();
    Map<String, String> settings = settings(plainOp, id, secret);
    settings.put("dpop", "off");
    try (ProxiedApp app = new ProxiedApp(settings, upstream.uri(""))) {
      register(plainOp, app, id, secret);
      TestBrowser browser = new TestBrowser();

      HttpResponse<String> refused = signInUntilCallback(browser, app, plainOp);

      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(refused.body())
          .contains("The identity provider refused the code exchange")
          .doesNotContain("Exception")
          .doesNotContain("at dev.oidcgate");
      assertThat(upstream.appRequests()).isZero();
    }
  }

  @Test
  @Timeout(90)
  void theSessionsKeyWorksFromASecondNodeWithCookieSessions() throws Exception {
    secondNodeUsesTheSameKey(Map.of("sessionStore", "cookie"));
  }

  @Test
  @Timeout(120)
  void theSessionsKeyWorksFromASecondNodeWithRedisSessions() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      secondNodeUsesTheSameKey(Map.of("sessionStore", "redis", "redisUri", redis.uri()));
      assertThat(redis.keys()).as("the session is in Redis").contains(":s:");
    }
  }

  /**
   * Two nodes of one app (same settings, one store): a login on the first, then the second makes
   * the upstream proofs and the refresh with the session's key.
   */
  private void secondNodeUsesTheSameKey(Map<String, String> store) throws Exception {
    String id = "dpop-" + UUID.randomUUID();
    String secret = "secret-" + UUID.randomUUID();
    Map<String, String> settings = settings(plainOp, id, secret);
    settings.putAll(store);
    try (ProxiedApp first = new ProxiedApp(settings, upstream.uri(""));
        ProxiedApp second = new ProxiedApp(settings, upstream.uri(""))) {
      register(plainOp, List.of(first, second), id, secret);
      TestBrowser browser = new TestBrowser();
      HttpResponse<String> page =
          OpSignIn.signIn(browser, first::uri, plainOp.issuer(), "/resource", "carol");
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      Proof onFirst = proofSeen(page, "GET", upstream.uri("/resource"));

      // The browser's cookies are per host, not port: the second node gets the same session cookie.
      HttpResponse<String> onSecondPage = browser.get(second.uri("/resource"));
      assertThat(onSecondPage.statusCode()).as(onSecondPage.body()).isEqualTo(200);
      Proof onSecond = proofSeen(onSecondPage, "GET", upstream.uri("/resource"));
      assertThat(onSecond.accessToken).isEqualTo(onFirst.accessToken);
      assertThat(onSecond.thumbprint).isEqualTo(onFirst.thumbprint);

      Thread.sleep(TOKEN_TTL * 1000L / 2 + 1000);
      HttpResponse<String> refreshed = browser.get(second.uri("/resource"));
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      Proof afterRefresh = proofSeen(refreshed, "GET", upstream.uri("/resource"));
      assertThat(afterRefresh.accessToken)
          .as("the second node refreshed with the session's key")
          .isNotEqualTo(onFirst.accessToken);
      assertThat(
              SignedJWT.parse(afterRefresh.accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf"))
          .containsEntry("jkt", onFirst.thumbprint);
      HttpResponse<String> backOnFirst = browser.get(first.uri("/resource"));
      assertThat(backOnFirst.statusCode()).isEqualTo(200);
      assertThat(proofSeen(backOnFirst, "GET", upstream.uri("/resource")).thumbprint)
          .isEqualTo(onFirst.thumbprint);
    }
  }

  private void signInRefreshAndLogOut(OidcProviderServer op, Path opLog) throws Exception {
    String id = "dpop-" + UUID.randomUUID();
    String secret = "secret-" + UUID.randomUUID();
    try (ProxiedApp app = new ProxiedApp(settings(op, id, secret), upstream.uri(""))) {
      register(op, app, id, secret);
      TestBrowser browser = new TestBrowser();

      HttpResponse<String> page =
          OpSignIn.signIn(browser, app::uri, op.issuer(), "/resource?x=1", "alice");

      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      Proof first = proofSeen(page, "GET", upstream.uri("/resource"));
      JWTClaimsSet token = SignedJWT.parse(first.accessToken).getJWTClaimsSet();
      assertThat(token.getSubject()).isEqualTo("alice");
      assertThat(token.getExpirationTime().getTime() - token.getIssueTime().getTime())
          .as("the OP's short token life")
          .isEqualTo(TOKEN_TTL * 1000L);
      assertThat(token.getJSONObjectClaim("cnf"))
          .as("the token is bound to the key the upstream proof is signed with")
          .containsEntry("jkt", first.thumbprint);

      HttpResponse<String> post = browser.postForm(app.uri("/things/1?y=2"), "z=3");
      assertThat(post.statusCode()).isEqualTo(200);
      Proof forPost = proofSeen(post, "POST", upstream.uri("/things/1"));
      assertThat(forPost.jti).as("a fresh proof for each request").isNotEqualTo(first.jti);
      assertThat(forPost.thumbprint).isEqualTo(first.thumbprint);

      Thread.sleep(TOKEN_TTL * 1000L / 2 + 1000);
      HttpResponse<String> refreshed = browser.get(app.uri("/resource"));
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      Proof afterRefresh = proofSeen(refreshed, "GET", upstream.uri("/resource"));
      assertThat(afterRefresh.accessToken)
          .as("the refresh brought a new access token")
          .isNotEqualTo(first.accessToken);
      assertThat(
              SignedJWT.parse(afterRefresh.accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf"))
          .as("bound to the session's same key")
          .containsEntry("jkt", first.thumbprint);
      assertThat(afterRefresh.thumbprint).isEqualTo(first.thumbprint);

      HttpResponse<String> logout = browser.get(app.uri("/logout"));
      assertThat(logout.statusCode()).isEqualTo(302);
      assertThat(Files.readString(opLog, StandardCharsets.UTF_8))
          .as("the refresh token was revoked, with a proof the OP took")
          .contains("grant.revoked " + id);
      HttpResponse<String> after = browser.get(app.uri("/resource"));
      assertThat(after.statusCode()).as("signed out").isEqualTo(302);
    }
  }

  /** What the upstream got: a DPoP token and a proof for its own request, checked here. */
  private record Proof(String accessToken, String thumbprint, String jti) {}

  private static Proof proofSeen(HttpResponse<String> page, String method, URI upstreamUrl)
      throws Exception {
    Map<?, ?> headers = (Map<?, ?>) seen(page).get("headers");
    List<?> authorization = (List<?>) headers.get("authorization");
    assertThat(authorization).hasSize(1);
    assertThat((String) authorization.get(0)).startsWith("DPoP ey");
    String accessToken = ((String) authorization.get(0)).substring("DPoP ".length());
    List<?> dpop = (List<?>) headers.get("dpop");
    assertThat(dpop).as("one DPoP proof reaches the upstream").hasSize(1);
    SignedJWT proof = SignedJWT.parse((String) dpop.get(0));
    assertThat(proof.getHeader().getType().getType()).isEqualTo("dpop+jwt");
    JWK jwk = proof.getHeader().getJWK();
    assertThat(jwk.isPrivate()).as("only the public key travels").isFalse();
    assertThat(proof.verify(new ECDSAVerifier((ECKey) jwk))).isTrue();
    JWTClaimsSet claims = proof.getJWTClaimsSet();
    assertThat(claims.getStringClaim("htm")).isEqualTo(method);
    assertThat(claims.getStringClaim("htu"))
        .as("the upstream's URL, not the IdP's or the app's")
        .isEqualTo(upstreamUrl.toString());
    assertThat(claims.getStringClaim("ath"))
        .isEqualTo(
            Base64URL.encode(
                    MessageDigest.getInstance("SHA-256")
                        .digest(accessToken.getBytes(StandardCharsets.US_ASCII)))
                .toString());
    assertThat(claims.getIssueTime()).isNotNull();
    return new Proof(accessToken, jwk.computeThumbprint().toString(), claims.getJWTID());
  }

  private static Map<String, String> settings(OidcProviderServer op, String id, String secret) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", op.issuer());
    p.put("clientId", id);
    p.put("clientSecret", secret);
    p.put("audience", SharedProvider.API);
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("scopes", "openid email offline_access");
    // oidc-provider grants offline_access (a refresh token) only with prompt=consent.
    p.put("authorizationParameters", "prompt=consent");
    p.put("dpop", "on");
    return p;
  }

  private static void register(OidcProviderServer op, ProxiedApp app, String id, String secret)
      throws Exception {
    register(op, List.of(app), id, secret);
  }

  private static void register(
      OidcProviderServer op, List<ProxiedApp> apps, String id, String secret) throws Exception {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("client_id", id);
    metadata.put("client_secret", secret);
    metadata.put("redirect_uris", apps.stream().map(a -> a.uri("/callback").toString()).toList());
    metadata.put(
        "post_logout_redirect_uris", apps.stream().map(a -> a.uri("/").toString()).toList());
    metadata.put("grant_types", List.of("authorization_code", "refresh_token"));
    metadata.put("response_types", List.of("code"));
    metadata.put("token_endpoint_auth_method", "client_secret_basic");
    metadata.put("dpop_bound_access_tokens", true);
    op.register(metadata);
  }

  /** The OP's login and consent pages, then the callback's answer (not followed further). */
  private static HttpResponse<String> signInUntilCallback(
      TestBrowser browser, ProxiedApp app, OidcProviderServer op) throws Exception {
    return OpSignIn.callbackAnswer(browser, app::uri, op.issuer(), "/resource", "bob");
  }
}
