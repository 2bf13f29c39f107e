package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import dev.oidcgate.testlogs.StderrCapture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The filter as a resource server in a real Jetty, against an IdP stand-in served over HTTP. */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class BearerTokenFilterTest {

  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("jwksMinRefreshInterval", "200ms");
    return p;
  }

  private FilterServer start(Map<String, String> params) throws Exception {
    app = apps.start(params);
    return app;
  }

  @Test
  void validRs256Es256AndEdDsaTokensReachTheAppAsTheCaller() throws Exception {
    start(params());
    for (String token :
        List.of(
            idp.rs256(c -> {}),
            idp.sign(idp.ec, JWSAlgorithm.ES256, c -> {}),
            idp.sign(idp.ed, JWSAlgorithm.EdDSA, c -> {}))) {
      HttpResponse<String> r = app.getWithToken(token);
      assertThat(r.statusCode()).isEqualTo(200);
      Map<String, Object> seen = seen(r);
      assertThat(seen.get("principal")).isEqualTo("alice");
      assertThat(seen.get("remoteUser")).isEqualTo("alice");
      assertThat(seen.get("authType")).isEqualTo("Bearer");
      assertThat(((Map<?, ?>) seen.get("claims")).get("sub")).isEqualTo("alice");
      assertThat(((Map<?, ?>) seen.get("headers")).get("authorization"))
          .isEqualTo(List.of("Bearer " + token));
    }
  }

  @Test
  void noTokenGets401WithABearerChallengeAndNoErrorCode() throws Exception {
    start(params());
    HttpResponse<String> r = app.get("/resource");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"oidc-gate\"");
  }

  @Test
  void theBearerSchemeIsMatchedInAnyCaseAndOtherSchemesAreNotOurs() throws Exception {
    start(params());
    String token = idp.rs256(c -> {});
    for (String value : List.of("bearer " + token, "BEARER   " + token + "  ")) {
      assertThat(app.get("/resource", "Authorization", value).statusCode())
          .as(value)
          .isEqualTo(200);
    }
    for (String value : List.of("Basic YWxpY2U6cHc=", "Bearer" + token, "Bearerx")) {
      HttpResponse<String> r = app.get("/resource", "Authorization", value);
      assertThat(r.statusCode()).as(value).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"oidc-gate\"");
    }
    HttpResponse<String> empty = app.get("/resource", "Authorization", "Bearer   ");
    assertThat(empty.statusCode()).isEqualTo(401);
    assertThat(empty.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("invalid_token");
  }

  @Test
  void badTokensGet401InvalidTokenAndNeverA500() throws Exception {
    idp.serveIntrospection(
        "{\"active\":false}"); // what the IdP says of garbage sent as an opaque token
    start(params());
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(idp.rsa.getKeyID()).generate();
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put(
        "bad signature",
        TestIdp.sign(
            stranger,
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.rsa.getKeyID()).build(),
            idp.accessClaims().build()));
    bad.put("alg none", new PlainJWT(idp.accessClaims().build()).serialize());
    bad.put("HS256 keyed with the RSA public key", hs256WithPublicKey());
    bad.put(
        "expired",
        idp.rs256(c -> c.expirationTime(new Date(System.currentTimeMillis() - 120_000))));
    bad.put(
        "not yet valid",
        idp.rs256(c -> c.notBeforeTime(new Date(System.currentTimeMillis() + 600_000))));
    bad.put("no expiry", idp.rs256(c -> c.expirationTime(null)));
    bad.put("wrong iss", idp.rs256(c -> c.issuer("https://evil.example")));
    bad.put("wrong aud", idp.rs256(c -> c.audience("someone-else")));
    bad.put(
        "ID token",
        idp.rs256(
            c -> c.claim("nonce", "n-0S6_WzA2Mj").claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ")));
    bad.put(
        "logout token",
        TestIdp.sign(
            idp.rsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idp.rsa.getKeyID())
                .type(new JOSEObjectType("logout+jwt"))
                .build(),
            idp.accessClaims().build()));
    bad.put("garbage", "not-a-token");
    bad.put("garbage with dots", "aaa.bbb.ccc");
    bad.put("100 KB token", "a".repeat(100 * 1024));
    bad.put("deeply nested header", deeplyNested(true));
    bad.put("deeply nested claims", deeplyNested(false));
    bad.put(
        "unknown crit header",
        TestIdp.sign(
            idp.rsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idp.rsa.getKeyID())
                .criticalParams(java.util.Set.of("exp-custom"))
                .customParam("exp-custom", 1)
                .build(),
            idp.accessClaims().build()));
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    String log;
    try (StderrCapture logged = StderrCapture.start()) {
      for (Map.Entry<String, String> e : bad.entrySet()) {
        answers.put(e.getKey(), app.getWithToken(e.getValue()));
      }
      log = logged.text();
    }
    assertThat(log)
        .contains("Refused GET /app/resource"); // the capture works: debug lines are there
    for (Map.Entry<String, String> e : bad.entrySet()) {
      HttpResponse<String> r = answers.get(e.getKey());
      assertThat(log)
          .as("log for " + e.getKey())
          .doesNotContain(e.getValue().substring(0, Math.min(30, e.getValue().length())));
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
          .as(e.getKey())
          .startsWith("Bearer realm=\"oidc-gate\", error=\"invalid_token\", error_description=\"");
      assertThat(r.body())
          .as(e.getKey())
          .doesNotContain(e.getValue().substring(0, Math.min(40, e.getValue().length())))
          .doesNotContain("Exception")
          .doesNotContain("at dev.");
    }
  }

  private String hs256WithPublicKey() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.rsa.getKeyID()).build(),
            idp.accessClaims().build());
    jwt.sign(new MACSigner(idp.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private String deeplyNested(boolean inHeader) {
    String nested = "[".repeat(4000) + "]".repeat(4000);
    String header =
        inHeader
            ? "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":" + nested + "}"
            : "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}";
    String payload = inHeader ? "{\"sub\":\"alice\"}" : "{\"sub\":\"alice\",\"x\":" + nested + "}";
    return Base64URL.encode(header).toString()
        + "."
        + Base64URL.encode(payload)
        + "."
        + Base64URL.encode("signature");
  }

  @Test
  void afterKeyRotationFiftyConcurrentRequestsWithTheNewKidCauseOneJwksFetch() throws Exception {
    start(params());
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    int fetchesBefore = idp.jwksRequests();
    Thread.sleep(300); // past jwksMinRefreshInterval, so the rotation may be picked up

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    idp.serveKeys(rotated, idp.ec);
    String token = idp.sign(rotated, JWSAlgorithm.RS256, c -> {});
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Callable<Integer> call =
            () -> {
              go.await();
              return app.getWithToken(token).statusCode();
            };
        results.add(pool.submit(call));
      }
      go.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(idp.jwksRequests() - fetchesBefore).isEqualTo(1);
  }

  @Test
  void unknownKidRefetchesAreRateLimited() throws Exception {
    Map<String, String> p = params();
    p.put("jwksMinRefreshInterval", "1h");
    p.put("jwksRefetchBurst", "3"); // the fetch at start-up spends one
    start(p);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    int before = idp.jwksRequests();
    for (int i = 0; i < 6; i++) {
      RSAKey unknown = new RSAKeyGenerator(2048).keyID("unknown-" + i).generate();
      assertThat(app.getWithToken(idp.sign(unknown, JWSAlgorithm.RS256, c -> {})).statusCode())
          .isEqualTo(401);
    }
    assertThat(idp.jwksRequests() - before).isEqualTo(2);
  }

  /** Verifiers are kept per key: a new key under an old {@code kid} must not meet the old one's. */
  @Test
  void aKeyReplacedUnderTheSameKidVerifiesOnceReadAndTheOldKeyNoLonger() throws Exception {
    Map<String, String> p = params();
    p.put("jwksRefreshInterval", "200ms");
    start(p);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);

    RSAKey replacement = new RSAKeyGenerator(2048).keyID(idp.rsa.getKeyID()).generate();
    idp.serveKeys(replacement, idp.ec);
    int status = 0;
    for (int i = 0; i < 100 && status != 200; i++) {
      Thread.sleep(100); // the background refresh reads the new key set
      status = app.getWithToken(idp.sign(replacement, JWSAlgorithm.RS256, c -> {})).statusCode();
    }
    assertThat(status).isEqualTo(200);
    HttpResponse<String> old = app.getWithToken(idp.rs256(c -> c.subject("bob")));
    assertThat(old.statusCode()).isEqualTo(401);
    assertThat(old.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("invalid_token");
  }

  /** Issue 9 item 1: with the defaults, a rotation right after the start-up fetch was refused. */
  @Test
  void aKeyRotatedRightAfterStartUpIsAcceptedAtOnceWithOneFetchForFiftyRequests() throws Exception {
    Map<String, String> p = params();
    p.remove("jwksMinRefreshInterval"); // the defaults, as deployed
    start(p);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    int fetchesBefore = idp.jwksRequests();

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    idp.serveKeys(rotated, idp.rsa, idp.ec);
    String token = idp.sign(rotated, JWSAlgorithm.RS256, c -> {});
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return app.getWithToken(token).statusCode();
                }));
      }
      go.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(idp.jwksRequests() - fetchesBefore).isEqualTo(1);
  }

  /** Issue 9 item 1: a failing key endpoint was asked again by every request once keys were old. */
  @Test
  void whileTheKeyEndpointFailsThePeriodicRefreshBacksOffInsteadOfFetchingPerRequest()
      throws Exception {
    Map<String, String> p = params();
    p.remove("jwksMinRefreshInterval");
    p.put("jwksRefreshInterval", "100ms");
    p.put("jwksRefetchBurst", "20"); // so what stops the fetches is the backoff, not the budget
    start(p);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    idp.failKeys();
    Thread.sleep(200); // the keys are now due for a refresh
    int before = idp.jwksRequests();
    long end = System.nanoTime() + 3_500_000_000L;
    int requests = 0;
    while (System.nanoTime() < end) {
      assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
      requests++;
    }
    int fetches = idp.jwksRequests() - before;
    assertThat(requests).isGreaterThan(20);
    assertThat(fetches).as("fetches after 1 s, 2 s backoff").isBetween(1, 4);
  }

  /** Issue 9 item 1: each request that found the keys old waited for the hanging endpoint. */
  @Test
  void whileTheKeyEndpointHangsNoRequestWaitsForTheRefreshOrForEveryUnknownKid() throws Exception {
    Map<String, String> p = params();
    p.remove("jwksMinRefreshInterval");
    p.put("jwksRefreshInterval", "100ms");
    start(p);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    RSAKey unknown = new RSAKeyGenerator(2048).generate();
    List<String> unknownKids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      unknownKids.add(
          TestIdp.sign(
              unknown,
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + i).build(),
              idp.accessClaims().build()));
    }
    idp.failKeys(2000);
    Thread.sleep(200);
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for request " + i).isLessThan(1000);
    }
    int slow = 0;
    for (String token : unknownKids) {
      long t0 = System.nanoTime();
      assertThat(app.getWithToken(token).statusCode()).isEqualTo(401);
      if ((System.nanoTime() - t0) / 1_000_000 >= 1000) {
        slow++;
      }
    }
    assertThat(slow).as("unknown-kid requests that waited for the endpoint").isLessThanOrEqualTo(1);
  }

  @Test
  void whenTheJwksEndpointFailsTokensSignedWithKnownKeysStillPass() throws Exception {
    start(params());
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    idp.failKeys();
    Thread.sleep(300);
    RSAKey unknown = new RSAKeyGenerator(2048).keyID("unknown").generate();
    assertThat(app.getWithToken(idp.sign(unknown, JWSAlgorithm.RS256, c -> {})).statusCode())
        .isEqualTo(401);
    assertThat(idp.jwksRequests()).isGreaterThanOrEqualTo(2); // it did try, and failed
    assertThat(app.getWithToken(idp.sign(idp.ec, JWSAlgorithm.ES256, c -> {})).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aTokenWithoutKidIsAcceptedWhenOneKeyFits() throws Exception {
    start(params());
    String token =
        TestIdp.sign(
            idp.rsa, new JWSHeader.Builder(JWSAlgorithm.RS256).build(), idp.accessClaims().build());
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);
  }

  /** Issue 9 item 2: the bearer path tried every key and took whichever verified. */
  @Test
  void aTokenWithoutKidIsRefusedAsAmbiguousWhenSeveralKeysFit() throws Exception {
    RSAKey second = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    idp.serveKeys(idp.rsa, second, idp.ec);
    start(params());
    for (RSAKey signer : List.of(idp.rsa, second)) {
      String token =
          TestIdp.sign(
              signer,
              new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
              idp.accessClaims().build());
      HttpResponse<String> r = app.getWithToken(token);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
          .contains("error=\"invalid_token\"")
          .contains("no key id and more than one key could have signed it");
    }
    // With a kid the same keys verify, and a kid-less ES256 token has one EC key to fit.
    assertThat(app.getWithToken(idp.sign(second, JWSAlgorithm.RS256, c -> {})).statusCode())
        .isEqualTo(200);
    String es256 =
        TestIdp.sign(
            idp.ec, new JWSHeader.Builder(JWSAlgorithm.ES256).build(), idp.accessClaims().build());
    assertThat(app.getWithToken(es256).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenSignedTwiceIsVerifiedOnceAndThenServedFromTheCache() throws Exception {
    Map<String, String> p = params();
    // The key set is read again in the background, started by the first request after this.
    p.put("jwksRefreshInterval", "100ms");
    start(p);
    String token = idp.rs256(c -> {});
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);
    // The RSA key is withdrawn and the filter has read the new key set: a fresh RSA token is
    // refused, but the token verified before is a cache hit, not a second signature check.
    idp.serveKeys(idp.ec);
    Thread.sleep(300);
    int status = 0;
    for (int i = 0; i < 50 && status != 401; i++) {
      String fresh = idp.rs256(c -> c.subject("bob"));
      status = app.getWithToken(fresh).statusCode();
      Thread.sleep(20);
    }
    assertThat(status).isEqualTo(401);
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);
  }

  @Test
  void anIdpDownAtStartUpGives503WithRetryAfterAndThenRecoversWithoutARestart() throws Exception {
    idp.failDiscovery();
    Map<String, String> p = params();
    p.put("discoveryRetryMaxInterval", "1s");
    start(p);
    assertThat(app.isRunning()).isTrue();
    HttpResponse<String> r = app.getWithToken(idp.rs256(c -> {}));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").get())).isBetween(1L, 60L);

    idp.serveDiscovery(idp.issuer());
    int status = 0;
    for (int i = 0; i < 100 && status != 200; i++) {
      Thread.sleep(100);
      status = app.getWithToken(idp.rs256(c -> {})).statusCode();
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void spoofedIdentityHeadersNeverReachTheApp() throws Exception {
    Map<String, String> p = params();
    p.put("upstreamClaimHeaders", "X-Authenticated-User=sub, X-Authenticated-Email=email");
    start(p);
    String token = idp.rs256(c -> c.subject("alice"));
    Map<String, Object> seen =
        seen(
            app.getWithToken(
                token,
                "X-Authenticated-User",
                "admin",
                "x-authenticated-email",
                "admin@evil.example"));
    Map<?, ?> headers = (Map<?, ?>) seen.get("headers");
    assertThat(headers.get("x-authenticated-user")).isEqualTo(List.of("alice"));
    assertThat(headers.containsKey("x-authenticated-email")).isFalse(); // token has no email claim
  }

  @Test
  void accessRulesRefuseWith403AndInsufficientScope() throws Exception {
    Map<String, String> p = params();
    p.put("scopesRequired", "read write, admin");
    p.put("rolesRequired", "reader");
    p.put("rolesClaim", "realm_access.roles");
    start(p);
    String readOnly =
        idp.rs256(
            c ->
                c.claim("scope", "openid read")
                    .claim("realm_access", Map.of("roles", List.of("reader"))));
    HttpResponse<String> r = app.getWithToken(readOnly);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .startsWith("Bearer realm=\"oidc-gate\", error=\"insufficient_scope\"");

    String admin =
        idp.rs256(
            c ->
                c.claim("scope", "admin")
                    .claim("realm_access", Map.of("roles", List.of("reader"))));
    assertThat(app.getWithToken(admin).statusCode()).isEqualTo(200);
    String readWrite =
        idp.rs256(
            c ->
                c.claim("scope", "read write")
                    .claim("realm_access", Map.of("roles", List.of("reader"))));
    HttpResponse<String> ok =
        app.get("/resource?role=reader", "Authorization", "Bearer " + readWrite);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(seen(ok).get("inRole")).isEqualTo(true);
    String noRole = idp.rs256(c -> c.claim("scope", "admin"));
    assertThat(app.getWithToken(noRole).statusCode()).isEqualTo(403);
  }

  @Test
  void cognitoAccessTokensAreCheckedOnTheirClientIdClaimAndGroups() throws Exception {
    Map<String, String> p = params();
    p.put("audienceClaim", "client_id");
    p.put("groupsRequired", "admins");
    p.put("groupsClaim", "cognito:groups");
    start(p);
    String cognito =
        idp.rs256(
            c ->
                c.audience((String) null)
                    .claim("client_id", TestIdp.CLIENT_ID)
                    .claim("token_use", "access")
                    .claim("cognito:groups", List.of("admins")));
    assertThat(app.getWithToken(cognito).statusCode()).isEqualTo(200);
    String otherClient =
        idp.rs256(
            c ->
                c.audience((String) null)
                    .claim("client_id", "other")
                    .claim("cognito:groups", List.of("admins")));
    assertThat(app.getWithToken(otherClient).statusCode()).isEqualTo(401);
  }

  @Test
  void opaqueTokensAreIntrospectedAndTheResultIsCached() throws Exception {
    start(params());
    long exp = System.currentTimeMillis() / 1000 + 300;
    idp.serveIntrospection(
        "{\"active\":true,\"sub\":\"bob\",\"client_id\":\"my-client\",\"aud\":\"my-client\","
            + "\"iss\":\""
            + idp.issuer()
            + "\",\"exp\":"
            + exp
            + ",\"scope\":\"read\"}");
    HttpResponse<String> r = app.getWithToken("opaque-token-123");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo("bob");
    assertThat(app.getWithToken("opaque-token-123").statusCode()).isEqualTo(200);
    assertThat(idp.introspectionRequests()).isEqualTo(1);
    // client_secret_basic by default: the secret went in the Authorization header, not the body.
    var sent =
        idp.wireMock().getAllServeEvents().stream()
            .filter(e -> e.getRequest().getUrl().endsWith("/introspect"))
            .findFirst()
            .orElseThrow()
            .getRequest();
    assertThat(sent.getHeader("Authorization")).startsWith("Basic ");
    assertThat(sent.getBodyAsString())
        .contains("token=opaque-token-123")
        .doesNotContain("client_secret");
  }

  @Test
  void inactiveOpaqueTokensGet401() throws Exception {
    start(params());
    idp.serveIntrospection("{\"active\":false}");
    HttpResponse<String> r = app.getWithToken("revoked-token");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"invalid_token\"");
  }

  /** Issue 9 item 6: every repeat of an unknown opaque token cost an introspection call. */
  @Test
  void anUnknownOpaqueTokenSentFortyTimesCostsOneIntrospection() throws Exception {
    idp.serveIntrospection("{\"active\":false}", 500);
    start(params());
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return app.getWithToken("made-up-opaque-token").statusCode();
                }));
      }
      go.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(401);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = app.getWithToken("made-up-opaque-token");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
          .contains("error=\"invalid_token\"")
          .contains("not active");
    }
    assertThat(idp.introspectionRequests()).isEqualTo(1);
    assertThat(app.getWithToken("another-made-up-token").statusCode()).isEqualTo(401);
    assertThat(idp.introspectionRequests()).isEqualTo(2);
  }

  /** Issue 9 item 6: unknown tokens queued without limit on the provider. */
  @Test
  void introspectionsBeyondTheCapGet503AtOnceInsteadOfQueueingOnTheProvider() throws Exception {
    idp.serveIntrospection("{\"active\":false}", 1500);
    Map<String, String> p = params();
    p.put("introspectionMaxConcurrent", "2");
    start(p);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<HttpResponse<String>> answers = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String token = "flood-" + i;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return app.getWithToken(token);
                }));
      }
      go.countDown();
      for (Future<HttpResponse<String>> f : results) {
        answers.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(idp.introspectionRequests()).isEqualTo(2);
    assertThat(answers).filteredOn(r -> r.statusCode() == 401).hasSize(2);
    List<HttpResponse<String>> refused =
        answers.stream().filter(r -> r.statusCode() == 503).toList();
    assertThat(refused).hasSize(6);
    for (HttpResponse<String> r : refused) {
      assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(r.body()).contains("Too many tokens are being checked");
    }
  }

  /** Issue 9 item 6: stalled introspections held the pool that key fetches and logins share. */
  @Test
  void stalledIntrospectionsDoNotStarveKeyFetches() throws Exception {
    idp.serveIntrospection("{\"active\":false}", 7000);
    Map<String, String> p = params();
    p.remove("jwksMinRefreshInterval");
    start(p);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      for (int i = 0; i < 12; i++) {
        String token = "stalled-" + i;
        pool.submit(() -> app.getWithToken(token));
      }
      for (int i = 0; i < 100 && idp.introspectionRequests() < 10; i++) {
        Thread.sleep(20);
      }
      assertThat(idp.introspectionRequests()).isEqualTo(10); // every connection of the old pool
      RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
      idp.serveKeys(rotated, idp.rsa);
      long t0 = System.nanoTime();
      HttpResponse<String> r = app.getWithToken(idp.sign(rotated, JWSAlgorithm.RS256, c -> {}));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(millis).isLessThan(3000);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Issue 9 item 6: an active refresh token passed as an access token. */
  @Test
  void anIntrospectedRefreshTokenOrAnotherIssuersOrAudiencesTokenIsRefused() throws Exception {
    start(params());
    long exp = System.currentTimeMillis() / 1000 + 300;
    String good = "\"active\":true,\"sub\":\"bob\",\"client_id\":\"my-client\",\"exp\":" + exp;
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("refresh token", "{" + good + ",\"token_type\":\"refresh_token\"}");
    bad.put(
        "refresh token (RFC 8693 type)",
        "{" + good + ",\"token_type\":\"urn:ietf:params:oauth:token-type:refresh_token\"}");
    bad.put("Hydra refresh token", "{" + good + ",\"token_use\":\"refresh_token\"}");
    bad.put("Keycloak offline token", "{" + good + ",\"typ\":\"Offline\"}");
    bad.put("another issuer", "{" + good + ",\"iss\":\"https://evil.example\"}");
    bad.put("another audience", "{" + good + ",\"aud\":[\"someone-else\"]}");
    int i = 0;
    for (Map.Entry<String, String> e : bad.entrySet()) {
      idp.serveIntrospection(e.getValue());
      HttpResponse<String> r = app.getWithToken("opaque-" + i++);
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
          .as(e.getKey())
          .contains("error=\"invalid_token\"");
    }
    idp.serveIntrospection(
        "{" + good + ",\"token_type\":\"Bearer\",\"iss\":\"" + idp.issuer() + "\"}");
    assertThat(app.getWithToken("opaque-good").statusCode()).isEqualTo(200);
  }

  @Test
  void introspectionWithClientSecretPostSendsTheSecretInTheBody() throws Exception {
    Map<String, String> p = params();
    p.put("introspectionAuthMethod", "client_secret_post");
    start(p);
    idp.serveIntrospection("{\"active\":true,\"sub\":\"bob\"}");
    assertThat(app.getWithToken("opaque-token-456").statusCode()).isEqualTo(200);
    var sent = idp.wireMock().getAllServeEvents().get(0).getRequest();
    assertThat(sent.getBodyAsString()).contains("client_secret=" + TestIdp.CLIENT_SECRET);
    assertThat(sent.getHeader("Authorization")).isNull();
  }

  @Test
  void requiredTokenTypeRefusesPlainJwts() throws Exception {
    Map<String, String> p = params();
    p.put("accessTokenTypes", "at+jwt");
    start(p);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(401);
    String at =
        TestIdp.sign(
            idp.rsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(idp.rsa.getKeyID())
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            idp.accessClaims().build());
    assertThat(app.getWithToken(at).statusCode()).isEqualTo(200);
  }

  @Test
  void twoAuthorizationHeadersAreABadRequest() throws Exception {
    start(params());
    String token = idp.rs256(c -> {});
    HttpResponse<String> r =
        app.get("/resource", "Authorization", "Bearer " + token, "Authorization", "Bearer x");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid_request");
  }

  @Test
  void jwtsThatClaimToBeTheRightIssuerButComeFromADifferentKeySetAreRefused() throws Exception {
    start(params());
    JWTClaimsSet claims = idp.accessClaims().build();
    RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
    // jku/jwk headers must be ignored: keys come only from the issuer's jwks_uri.
    String token =
        TestIdp.sign(
            attacker,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("attacker")
                .jwk(attacker.toPublicJWK())
                .jwkURL(java.net.URI.create("https://evil.example/jwks"))
                .build(),
            claims);
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(401);
  }
}
