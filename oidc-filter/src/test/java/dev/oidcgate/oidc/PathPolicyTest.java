package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Public paths, per-path rules, claim rules and CORS preflights inside one filter mapping, over
 * real HTTP (the filter in Jetty, the IdP's keys from WireMock).
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class PathPolicyTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params(String... keyValues) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    // The stand-in's issuer looks like Keycloak's (/realms/...); these tests mean plain "roles".
    p.put("provider", "generic");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(app.uri(path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void aPublicPathPassesWithoutCredentialAndStillSeesTheCallerWhenOneIsSent() throws Exception {
    app = apps.start(params("publicPaths", "/pub* /health"));

    HttpResponse<String> anonymous = app.get("/pub/page");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(seen(anonymous).get("principal")).isNull();
    assertThat(app.get("/health").statusCode()).isEqualTo(200);

    HttpResponse<String> signedIn =
        app.get("/public-page", "Authorization", bearer(idp.rs256(c -> {})));
    assertThat(signedIn.statusCode()).isEqualTo(200);
    assertThat(seen(signedIn).get("principal")).isEqualTo("alice");

    assertThat(app.get("/resource").statusCode()).isEqualTo(401);
    assertThat(app.get("/health/more").statusCode()).isEqualTo(401);
  }

  @Test
  void aBadTokenOnAPublicPathPassesAnonymouslyWithoutItsIdentity() throws Exception {
    app = apps.start(params("publicPaths", "/pub/*"));
    String expired =
        idp.rs256(c -> c.expirationTime(new java.util.Date(System.currentTimeMillis() - 600_000)));
    HttpResponse<String> r = app.get("/pub/x", "Authorization", bearer(expired));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isNull();
    assertThat(seen(r).get("claims")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/pub/..;/resource", "/pub%2f..%2fresource", "/pub/%2e%2e/resource", "/pub;x/"})
  void aDottedOrEncodedSpellingIsNeverAPublicPath(String path) throws Exception {
    app = apps.start(params("publicPaths", "/pub/*"));
    HttpResponse<String> r = send("GET", path);
    assertThat(r.statusCode()).isIn(400, 401);
  }

  private HttpResponse<String> preflight(String origin, String method, String... more)
      throws Exception {
    List<String> headers =
        new java.util.ArrayList<>(
            List.of("Origin", origin, "Access-Control-Request-Method", method));
    headers.addAll(List.of(more));
    return send("OPTIONS", "/resource", headers.toArray(new String[0]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"answer", "true"})
  void aPreflightFromAnAllowedOriginIsAnsweredByTheFilterAndNeverReachesTheApp(String setting)
      throws Exception {
    app = apps.start(params("corsOrigins", "https://spa.example.com", "corsPreflight", setting));

    HttpResponse<String> r =
        preflight(
            "https://spa.example.com",
            "PUT",
            "Access-Control-Request-Headers",
            "content-type, x-trace");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty(); // the echo servlet would have written what it saw
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://spa.example.com");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("content-type, x-trace");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(r.headers().allValues("Vary")).contains("Origin");
  }

  @Test
  void aPreflightFromAnotherOriginOrForAnUnlistedMethodGets403WithoutCorsHeaders()
      throws Exception {
    app = apps.start(params("corsOrigins", "https://spa.example.com"));

    for (HttpResponse<String> r :
        List.of(
            preflight("https://evil.example", "POST"),
            preflight("null", "GET"),
            preflight("https://spa.example.com", "TRACE"),
            preflight(
                "https://spa.example.com", "GET", "Access-Control-Request-Headers", "x-a;b"))) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).isEmpty();
      assertThat(r.headers().map().keySet())
          .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
      assertThat(r.headers().allValues("Vary")).contains("Origin");
    }
  }

  @Test
  void byDefaultNoPreflightReachesTheAppAndAPlainOptionsNeedsACredential() throws Exception {
    app = apps.start(params());

    HttpResponse<String> r = preflight("https://spa.example.com", "POST");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEmpty();

    assertThat(send("OPTIONS", "/resource").statusCode()).isEqualTo(401);
    assertThat(send("OPTIONS", "/resource", "Origin", "https://spa.example.com").statusCode())
        .isEqualTo(401);
  }

  @Test
  void withCorsPreflightPassAPreflightReachesTheAppWithoutCredentialOrAuthorization()
      throws Exception {
    app = apps.start(params("corsPreflight", "pass"));

    HttpResponse<String> r =
        preflight("https://spa.example.com", "POST", "Authorization", bearer("forged"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isNull();
    assertThat(((Map<?, ?>) seen(r).get("headers")).keySet())
        .map(Object::toString)
        .doesNotContain("authorization");
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "false"})
  void corsPreflightOffMakesAPreflightNeedACredential(String setting) throws Exception {
    app = apps.start(params("corsPreflight", setting));
    HttpResponse<String> preflight =
        send(
            "OPTIONS",
            "/resource",
            "Origin",
            "https://spa.example.com",
            "Access-Control-Request-Method",
            "POST");
    assertThat(preflight.statusCode()).isEqualTo(401);
  }

  @Test
  void aPathRuleDemandsARoleOnlyUnderItsPath() throws Exception {
    app = apps.start(params("pathRules", "/admin/* role=admin,ops"));
    String reader = idp.rs256(c -> c.claim("roles", List.of("reader")));
    String ops = idp.rs256(c -> c.claim("roles", List.of("ops")));

    assertThat(app.get("/resource", "Authorization", bearer(reader)).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = app.get("/admin/users", "Authorization", bearer(reader));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertThat(app.get("/admin", "Authorization", bearer(reader)).statusCode()).isEqualTo(403);
    assertThat(app.get("/admin/users", "Authorization", bearer(ops)).statusCode()).isEqualTo(200);
    // The container decodes before the rule is matched: an encoded spelling is the same path.
    assertThat(send("GET", "/%61dmin/users", "Authorization", bearer(reader)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aPathRuleWithMethodsAppliesOnlyToThoseMethods() throws Exception {
    app = apps.start(params("pathRules", "POST,PUT /api/* scope=write\n/api/* scope=read"));
    String readOnly = idp.rs256(c -> c.claim("scope", "openid read"));
    String readWrite = idp.rs256(c -> c.claim("scope", "openid read write"));

    assertThat(send("GET", "/api/items", "Authorization", bearer(readOnly)).statusCode())
        .isEqualTo(200);
    assertThat(send("POST", "/api/items", "Authorization", bearer(readOnly)).statusCode())
        .isEqualTo(403);
    assertThat(send("PUT", "/api/items", "Authorization", bearer(readWrite)).statusCode())
        .isEqualTo(200);
    String noScope = idp.rs256(c -> c.claim("scope", "openid"));
    assertThat(send("GET", "/api/items", "Authorization", bearer(noScope)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void claimsRequiredChecksAVerifiedEmailDomainHostedDomainAndAnyClaim() throws Exception {
    app =
        apps.start(
            params("claimsRequired", "email_domain=example.com hd=example.com claim:tenant=acme"));
    String good =
        idp.rs256(
            c ->
                c.claim("email", "alice@Example.com")
                    .claim("email_verified", true)
                    .claim("hd", "example.com")
                    .claim("tenant", "acme"));
    assertThat(app.get("/resource", "Authorization", bearer(good)).statusCode()).isEqualTo(200);

    String unverified =
        idp.rs256(
            c ->
                c.claim("email", "alice@example.com")
                    .claim("email_verified", false)
                    .claim("hd", "example.com")
                    .claim("tenant", "acme"));
    String otherDomain =
        idp.rs256(
            c ->
                c.claim("email", "alice@example.com.evil.org")
                    .claim("email_verified", true)
                    .claim("hd", "example.com")
                    .claim("tenant", "acme"));
    String otherTenant =
        idp.rs256(
            c ->
                c.claim("email", "alice@example.com")
                    .claim("email_verified", true)
                    .claim("hd", "example.com")
                    .claim("tenant", "other"));
    for (String token : List.of(unverified, otherDomain, otherTenant)) {
      assertThat(app.get("/resource", "Authorization", bearer(token)).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void aBearerTokenShortOfAPathsStepUpGets401InsufficientUserAuthentication() throws Exception {
    app = apps.start(params("pathRules", "/admin/* acr_values=urn:mfa max_age=5m"));
    long now = System.currentTimeMillis() / 1000;
    String weak = idp.rs256(c -> c.claim("acr", "urn:pwd").claim("auth_time", now));
    String stale = idp.rs256(c -> c.claim("acr", "urn:mfa").claim("auth_time", now - 600));
    String strong = idp.rs256(c -> c.claim("acr", "urn:mfa").claim("auth_time", now));
    for (String token : List.of(weak, stale)) {
      HttpResponse<String> r = app.get("/admin/x", "Authorization", bearer(token));
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
          .contains("insufficient_user_authentication");
    }
    assertThat(app.get("/admin/x", "Authorization", bearer(strong)).statusCode()).isEqualTo(200);
    assertThat(app.get("/other", "Authorization", bearer(weak)).statusCode()).isEqualTo(200);
  }

  @Test
  void aMalformedPathRuleStopsStartUpNamingTheKey() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                dev.oidcgate.oidc.config.OidcConfig.builder()
                    .issuer(idp.issuer())
                    .clientId("c")
                    .set("pathRules", "/admin/* colour=blue")
                    .build())
        .hasMessageContaining("pathRules")
        .hasMessageContaining("colour");
  }
}
