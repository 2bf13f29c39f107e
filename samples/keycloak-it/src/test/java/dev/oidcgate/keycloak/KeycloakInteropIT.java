package dev.oidcgate.keycloak;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTParser;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The filter (in Jetty, with an echo servlet) against a real Keycloak: browser login with PKCE
 * through Keycloak's own login form, realm roles, bearer tokens from Keycloak's token endpoint,
 * refresh and RP-initiated logout. One Keycloak ({@link SharedKeycloak}) serves every test; each
 * test has its own filter.
 */
class KeycloakInteropIT {

  static final String REALM = "oidc-gate";
  static final String CLIENT_ID = "oidc-gate";
  static final String CLIENT_SECRET = "oidc-gate-keycloak-it-client-secret";
  static final Map<String, String> PASSWORDS =
      Map.of("alice", "alice-password", "bob", "bob-password");

  private static final Pattern LOGIN_FORM =
      Pattern.compile("<form[^>]*\\bid=\"kc-form-login\"[^>]*>");
  private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]+)\"");

  private static KeycloakServer keycloak;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private FilterServer app;

  /** The query of the last authorization request the filter sent a browser to. */
  private Map<String, String> lastAuthorize;

  @BeforeAll
  @Timeout(300)
  static void startKeycloak() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
  }

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  private static Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", keycloak.issuer());
    p.put("clientId", CLIENT_ID);
    p.put("clientSecret", CLIENT_SECRET);
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("rolesClaim", "realm_access.roles");
    p.put("principalClaim", "preferred_username");
    p.put("upstreamIdTokenHeader", "X-Id-Token");
    return p;
  }

  /**
   * Signs {@code user} in the way a browser does: the filter sends it to Keycloak, Keycloak's login
   * form is filled in and posted, Keycloak sends it back to the filter's callback, the filter to
   * {@code path}. Returns the answer at {@code path}.
   */
  private HttpResponse<String> signIn(Browser browser, String path, String user) throws Exception {
    HttpResponse<String> first = browser.get(app.uri(path));
    assertThat(first.statusCode()).isEqualTo(302);
    URI authorize = location(first);
    assertThat(authorize.toString())
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
    Map<String, String> q = query(authorize);
    assertThat(q)
        .containsEntry("client_id", CLIENT_ID)
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("response_type", "code")
        .containsKeys("state", "nonce", "code_challenge");
    lastAuthorize = q;

    HttpResponse<String> loginPage = browser.get(authorize);
    assertThat(loginPage.statusCode()).as("Keycloak's login page").isEqualTo(200);
    HttpResponse<String> afterLogin =
        browser.postForm(
            loginFormAction(loginPage),
            "username=" + user + "&password=" + form(PASSWORDS.get(user)) + "&credentialId=");
    assertThat(afterLogin.statusCode())
        .as("Keycloak after the password: %s", afterLogin.body())
        .isEqualTo(302);
    URI callback = location(afterLogin);
    assertThat(callback.toString()).startsWith(app.uri("/callback").toString());
    assertThat(query(callback)).containsKeys("code", "state").doesNotContainKey("error");

    HttpResponse<String> back = browser.get(callback);
    assertThat(back.statusCode()).as("the filter's callback: %s", back.body()).isEqualTo(302);
    assertThat(location(back)).isEqualTo(app.uri(path));
    return browser.get(location(back));
  }

  @Test
  @Timeout(60)
  void aliceSignsInThroughKeycloaksLoginFormAndTheAppSeesHerAndHerAccessToken() throws Exception {
    app = new FilterServer(params());
    Browser browser = browser();
    HttpResponse<String> page = signIn(browser, "/resource?x=1", "alice");

    assertThat(page.statusCode()).isEqualTo(200);
    Map<String, Object> seen = seen(page);
    assertThat(seen.get("principal")).isEqualTo("alice");
    assertThat(seen.get("remoteUser")).isEqualTo("alice");
    String token = authorization(page);
    assertThat(token).startsWith("Bearer ey");
    Map<String, Object> accessClaims =
        JWTParser.parse(token.substring(7)).getJWTClaimsSet().toJSONObject();
    assertThat(accessClaims.get("iss")).isEqualTo(keycloak.issuer());
    assertThat(audience(accessClaims))
        .as("the audience mapper puts the client id in aud")
        .contains(CLIENT_ID);
    Map<?, ?> claims = (Map<?, ?>) seen.get("claims");
    assertThat(claims.get("email")).isEqualTo("alice@example.com");
    assertThat(claims.get("sub")).isEqualTo(accessClaims.get("sub"));

    Map<String, Object> idClaims =
        JWTParser.parse(header(page, "x-id-token")).getJWTClaimsSet().toJSONObject();
    assertThat(idClaims.get("nonce"))
        .as("Keycloak echoes the nonce")
        .isEqualTo(lastAuthorize.get("nonce"));
    assertThat(idClaims.get("aud")).isEqualTo(CLIENT_ID);

    // The session carries on without Keycloak being asked again.
    HttpResponse<String> again = browser.get(app.uri("/other"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(authorization(again)).isEqualTo(token);
  }

  @Test
  @Timeout(60)
  void keycloakRequiresPkceForTheClient() throws Exception {
    app = new FilterServer(params());
    Browser browser = browser();
    URI authorize = location(browser.get(app.uri("/resource")));
    String withoutPkce = authorize.toString().replaceAll("&code_challenge(_method)?=[^&]*", "");
    assertThat(withoutPkce).doesNotContain("code_challenge");
    HttpResponse<String> refused = browser.get(URI.create(withoutPkce));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(302);
    URI back = location(refused);
    assertThat(back.toString()).startsWith(app.uri("/callback").toString());
    assertThat(query(back)).containsEntry("error", "invalid_request").doesNotContainKey("code");
  }

  @Test
  @Timeout(60)
  void realmRolesAnswerIsUserInRoleAndRolesRequiredRefusesBob() throws Exception {
    Map<String, String> p = params();
    p.put("rolesRequired", "reader");
    app = new FilterServer(p);

    HttpResponse<String> alice = signIn(browser(), "/resource?role=reader", "alice");
    assertThat(alice.statusCode()).isEqualTo(200);
    assertThat(seen(alice).get("inRole")).isEqualTo(true);

    HttpResponse<String> bob = signIn(browser(), "/resource?role=reader", "bob");
    assertThat(bob.statusCode()).as("bob is signed in but has no reader role").isEqualTo(403);
  }

  @Test
  @Timeout(60)
  void aliceWithoutRolesRequiredIsInReaderButNotInAdmin() throws Exception {
    app = new FilterServer(params());
    Browser browser = browser();
    assertThat(seen(signIn(browser, "/resource?role=reader", "alice")).get("inRole"))
        .isEqualTo(true);
    assertThat(seen(browser.get(app.uri("/resource?role=admin"))).get("inRole")).isEqualTo(false);
  }

  @Test
  @Timeout(60)
  void aBearerTokenFromKeycloaksTokenEndpointIsAcceptedAndATamperedOneIsNot() throws Exception {
    app = new FilterServer(params());
    String token = passwordGrant("alice").get("access_token").toString();

    HttpResponse<String> ok = app.getWithToken(token);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(seen(ok).get("principal")).isEqualTo("alice");
    assertThat(seen(ok).get("authType")).isEqualTo("Bearer");

    HttpResponse<String> roles =
        app.get("/resource?role=reader", "Authorization", "Bearer " + token);
    assertThat(seen(roles).get("inRole")).isEqualTo(true);

    HttpResponse<String> tampered = app.getWithToken(tamperPayload(token));
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(tampered.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));

    HttpResponse<String> badSignature = app.getWithToken(tamperSignature(token));
    assertThat(badSignature.statusCode()).isEqualTo(401);

    HttpResponse<String> none = app.get("/resource");
    assertThat(none.statusCode()).as("no token, not a browser navigation").isEqualTo(401);
  }

  @Test
  @Timeout(60)
  void withoutAnAudienceMapperKeycloaksAccessTokensAreRefused() throws Exception {
    Map<String, String> p = params();
    p.put("clientId", "no-audience-mapper");
    p.put("clientSecret", "no-audience-mapper-client-secret");
    app = new FilterServer(p);
    String token =
        postToKeycloak(
                "/protocol/openid-connect/token",
                "grant_type=password&scope=openid&username=alice&password="
                    + form(PASSWORDS.get("alice")),
                "no-audience-mapper",
                "no-audience-mapper-client-secret")
            .get("access_token")
            .toString();
    Map<String, Object> claims = JWTParser.parse(token).getJWTClaimsSet().toJSONObject();
    assertThat(audience(claims)).as("Keycloak's default aud").containsExactly("account");
    assertThat(claims.get("azp")).isEqualTo("no-audience-mapper");

    HttpResponse<String> refused = app.getWithToken(token);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
  }

  @Test
  @Timeout(60)
  void bobsBearerTokenIsRefusedByRolesRequired() throws Exception {
    Map<String, String> p = params();
    p.put("rolesRequired", "reader");
    app = new FilterServer(p);
    assertThat(app.getWithToken(passwordGrant("alice").get("access_token").toString()).statusCode())
        .isEqualTo(200);
    HttpResponse<String> bob =
        app.getWithToken(passwordGrant("bob").get("access_token").toString());
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(bob.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).contains("insufficient_scope"));
  }

  @Test
  @Timeout(60)
  void theFilterRefreshesTheAccessTokenWithKeycloaksRefreshToken() throws Exception {
    // The realm's access tokens live 15 s, shorter than the default refreshLeeway (60 s): the
    // filter
    // refreshes them at half their life, after 7.5 s, rather than at every request.
    app = new FilterServer(params());
    Browser browser = browser();
    HttpResponse<String> page = signIn(browser, "/resource", "alice");
    assertThat(page.statusCode()).isEqualTo(200);
    String firstToken = authorization(page);
    Map<String, Object> first =
        JWTParser.parse(firstToken.substring(7)).getJWTClaimsSet().toJSONObject();
    assertThat(((Number) first.get("exp")).longValue() - ((Number) first.get("iat")).longValue())
        .isEqualTo(15);
    HttpResponse<String> early = browser.get(app.uri("/resource"));
    assertThat(authorization(early))
        .as("not refreshed in the first half of its life")
        .isEqualTo(firstToken);

    Thread.sleep(8000);
    HttpResponse<String> refreshed = browser.get(app.uri("/resource"));
    assertThat(refreshed.statusCode()).isEqualTo(200);
    String secondToken = authorization(refreshed);
    assertThat(secondToken)
        .as("the access token passed on after the refresh")
        .isNotEqualTo(firstToken);
    Map<String, Object> second =
        JWTParser.parse(secondToken.substring(7)).getJWTClaimsSet().toJSONObject();
    assertThat(second.get("sub")).isEqualTo(first.get("sub"));
    assertThat(second.get("sid")).as("the same Keycloak session").isEqualTo(first.get("sid"));
    assertThat(((Number) second.get("iat")).longValue())
        .isGreaterThan(((Number) first.get("iat")).longValue());
    assertThat(seen(refreshed).get("principal")).isEqualTo("alice");

    Map<String, Object> firstId =
        JWTParser.parse(header(page, "x-id-token")).getJWTClaimsSet().toJSONObject();
    Map<String, Object> secondId =
        JWTParser.parse(header(refreshed, "x-id-token")).getJWTClaimsSet().toJSONObject();
    assertThat(secondId.get("jti"))
        .as("Keycloak sends a new ID token at refresh")
        .isNotEqualTo(firstId.get("jti"));
    assertThat(secondId)
        .containsEntry("sub", firstId.get("sub"))
        .containsEntry("sid", firstId.get("sid"))
        .containsEntry("auth_time", firstId.get("auth_time"));
    assertThat(firstId).containsKey("nonce");
    assertThat(secondId)
        .as("Keycloak leaves the nonce out of a refreshed ID token")
        .doesNotContainKey("nonce");

    // The new token is fresh: the next request uses it as is.
    HttpResponse<String> next = browser.get(app.uri("/resource"));
    assertThat(authorization(next)).isEqualTo(secondToken);
  }

  @Test
  @Timeout(90)
  void logoutEndsTheKeycloakSessionAndTheOldCookieNoLongerWorks() throws Exception {
    app = new FilterServer(params());
    Browser browser = browser();
    HttpResponse<String> page = signIn(browser, "/resource", "alice");
    assertThat(page.statusCode()).isEqualTo(200);
    String accessToken = authorization(page).substring(7);
    TestBrowser replayer = new TestBrowser();
    replayer.copyCookiesFrom(browser.app, app.uri("/"));

    HttpResponse<String> logout = browser.get(app.uri("/logout"));
    assertThat(logout.statusCode()).isEqualTo(302);
    URI endSession = location(logout);
    assertThat(endSession.toString())
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?");
    assertThat(query(endSession))
        .containsKey("id_token_hint")
        .containsEntry("client_id", CLIENT_ID)
        .containsEntry("post_logout_redirect_uri", app.uri("/").toString());

    // With id_token_hint and an allowed post_logout_redirect_uri, Keycloak asks nothing and sends
    // the browser back.
    HttpResponse<String> fromKeycloak = browser.get(endSession);
    assertThat(fromKeycloak.statusCode())
        .as("Keycloak's logout answer: %s", fromKeycloak.body())
        .isEqualTo(302);
    assertThat(location(fromKeycloak)).isEqualTo(app.uri("/"));

    // The filter revoked the refresh token, which ends Keycloak's session: introspection says the
    // access token is inactive.
    assertThat(introspect(accessToken).get("active")).isEqualTo(false);

    // Signed out at the filter: a navigation goes to Keycloak, which shows its login form again (no
    // SSO left).
    HttpResponse<String> after = browser.get(app.uri("/resource"));
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(location(after).toString())
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
    HttpResponse<String> loginAgain = browser.get(location(after));
    assertThat(loginAgain.statusCode()).isEqualTo(200);
    assertThat(LOGIN_FORM.matcher(loginAgain.body()).find())
        .as("Keycloak asks for the password again")
        .isTrue();

    HttpResponse<String> replayed = replayer.get(app.uri("/resource"));
    assertThat(replayed.statusCode())
        .as("the session cookie from before the logout")
        .isEqualTo(302);
    assertThat(location(replayed).toString())
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
  }

  // --- helpers ---

  private static Browser browser() {
    return new Browser(keycloak.issuer());
  }

  static URI loginFormAction(HttpResponse<String> loginPage) {
    Matcher form = LOGIN_FORM.matcher(loginPage.body());
    assertThat(form.find()).as("a kc-form-login form in %s", loginPage.body()).isTrue();
    Matcher action = ACTION.matcher(form.group());
    assertThat(action.find()).as("the login form's action").isTrue();
    return loginPage.uri().resolve(htmlUnescape(action.group(1)));
  }

  private static String htmlUnescape(String s) {
    return s.replace("&amp;", "&")
        .replace("&#x3D;", "=")
        .replace("&#61;", "=")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
  }

  private static Map<String, Object> passwordGrant(String user) throws Exception {
    return postToKeycloak(
        "/protocol/openid-connect/token",
        "grant_type=password&scope=openid&username="
            + user
            + "&password="
            + form(PASSWORDS.get(user)));
  }

  private static Map<String, Object> introspect(String token) throws Exception {
    return postToKeycloak("/protocol/openid-connect/token/introspect", "token=" + form(token));
  }

  private static Map<String, Object> postToKeycloak(String path, String body) throws Exception {
    return postToKeycloak(path, body, CLIENT_ID, CLIENT_SECRET);
  }

  /** A POST to Keycloak with the client's credentials in Basic auth (client_secret_basic). */
  private static Map<String, Object> postToKeycloak(
      String path, String body, String clientId, String secret) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(keycloak.issuer() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return JSONObjectUtils.parse(r.body());
  }

  /** Changes the payload (sub) but keeps Keycloak's signature. */
  private static String tamperPayload(String jwt) throws Exception {
    String[] parts = jwt.split("\\.");
    Map<String, Object> claims =
        JSONObjectUtils.parse(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("preferred_username", "mallory");
    parts[1] =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(JSONObjectUtils.toJSONString(claims).getBytes(StandardCharsets.UTF_8));
    return String.join(".", parts);
  }

  /** Flips bits in the middle of the signature. */
  private static String tamperSignature(String jwt) {
    int dot = jwt.lastIndexOf('.');
    int i = dot + (jwt.length() - dot) / 2;
    char c = jwt.charAt(i);
    return jwt.substring(0, i) + (c == 'A' ? 'B' : 'A') + jwt.substring(i + 1);
  }

  private static String authorization(HttpResponse<String> page) throws Exception {
    return header(page, "authorization");
  }

  /** The one value of a request header the app got. */
  private static String header(HttpResponse<String> page, String name) throws Exception {
    Map<?, ?> headers = (Map<?, ?>) seen(page).get("headers");
    List<?> values = (List<?>) headers.get(name);
    assertThat(values).as("the %s header the app got", name).hasSize(1);
    return (String) values.get(0);
  }

  private static List<String> audience(Map<String, Object> claims) {
    Object aud = claims.get("aud");
    return aud instanceof List<?> l
        ? l.stream().map(String::valueOf).toList()
        : List.of(String.valueOf(aud));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    if (uri.getRawQuery() == null) {
      return out;
    }
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
