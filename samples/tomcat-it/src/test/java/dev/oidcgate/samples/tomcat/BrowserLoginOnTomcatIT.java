package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signing in through the sample WAR, unchanged, on a real Apache Tomcat 11: a cookie-jar browser
 * ({@link Browser}) follows the redirects one hop at a time between Tomcat and a real OpenID
 * provider ({@link TestAuthServer}: discovery, authorize, token with PKCE, end-session), and the
 * Jetty echo upstream shows what the proxy forwarded. All on 127.0.0.1.
 */
class BrowserLoginOnTomcatIT {

  private static final String CONTEXT = "app";
  private static final String SESSION_SECRET = "tomcat-it-session-secret-0123456789abcdef";

  private static TestAuthServer op;
  private static EchoUpstream upstream;
  private static TomcatProcess tomcat;

  @BeforeAll
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  static void startTomcat() throws Exception {
    op = new TestAuthServer();
    upstream = new EchoUpstream();
    tomcat = TomcatProcess.forSampleWar("catalina-base-login");
    Map<String, String> env = requiredEnvironment();
    env.put("OIDC_SESSION_SECRET", SESSION_SECRET); // OIDC_REDIRECT_URI unset: /oidc-route/callback
    env.put("OIDC_EXTERNAL_URL", appUrl(tomcat, "")); // how browsers reach the app
    start(tomcat, env);
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stopTomcat() throws Exception {
    Teardown.closeAll(tomcat, upstream, op);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void signInThroughTheOpLandsOnTheUpstreamWithTheAccessToken() throws Exception {
    Browser browser = new Browser();

    SignIn signIn = signIn(browser, tomcat, "/oidc-route/get?x=1");

    assertThat(signIn.authorizationRequest().get("redirect_uri"))
        .isEqualTo(appUrl(tomcat, "/oidc-route/callback"));
    assertThat(signIn.authorizationRequest().get("code_challenge_method")).isEqualTo("S256");
    assertThat(signIn.callback().getRawPath()).isEqualTo("/app/oidc-route/callback");
    assertThat(query(signIn.callback()))
        .containsKeys("code", "state")
        .containsEntry("iss", op.issuer());
    assertThat(signIn.returnedTo().getRawPath() + "?" + signIn.returnedTo().getRawQuery())
        .isEqualTo("/app/oidc-route/get?x=1");
    HttpResponse<String> landed = signIn.landed();
    assertThat(landed.statusCode()).as(logs(landed)).isEqualTo(200);
    Map<String, Object> seen = JSONObjectUtils.parse(landed.body());
    assertThat(seen.get("path")).as(logs(landed)).isEqualTo("/get");
    assertThat(seen.get("query")).as(logs(landed)).isEqualTo("x=1");
    assertThat(header(seen, "x-authenticated-user")).as(logs(landed)).containsExactly("alice");
    JWTClaimsSet accessToken = SignedJWT.parse(accessToken(seen)).getJWTClaimsSet();
    assertThat(accessToken.getIssuer()).isEqualTo(op.issuer());
    assertThat(accessToken.getSubject()).isEqualTo("alice");
    assertThat(accessToken.getAudience()).contains(TestAuthServer.CLIENT_ID);
    // The session cookie is the app's credential, not the upstream's.
    assertThat(browser.cookie("oidc_session")).isNotNull();
    assertThat(String.join(";", header(seen, "cookie").stream().map(String::valueOf).toList()))
        .as(logs(landed))
        .doesNotContain("oidc_");

    // The session carries the next request: no new login, no new code exchange.
    int exchanges = op.codeExchanges.get();
    HttpResponse<String> again = browser.get(tomcat.url("/app/oidc-route/anything/else?y=2"));
    assertThat(again.statusCode()).as(logs(again)).isEqualTo(200);
    Map<String, Object> seenAgain = JSONObjectUtils.parse(again.body());
    assertThat(seenAgain.get("path")).isEqualTo("/anything/else");
    assertThat(seenAgain.get("query")).isEqualTo("y=2");
    assertThat(header(seenAgain, "x-authenticated-user")).containsExactly("alice");
    assertThat(op.codeExchanges.get()).isEqualTo(exchanges);
    // OIDC_SESSION_SECRET reached the filter (no random-key warning).
    assertThat(tomcat.logs()).doesNotContain("sessionSecret is not set");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void meShowsTheClaimsOfTheSessionALoginUnderOidcRouteMade() throws Exception {
    Browser browser = new Browser();
    assertThat(signIn(browser, tomcat, "/oidc-route/get").landed().statusCode()).isEqualTo(200);

    HttpResponse<String> me = browser.get(tomcat.url("/app/me"));

    assertThat(me.statusCode()).as(logs(me)).isEqualTo(200);
    assertThat(me.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(me.body()).contains("\"sub\":\"alice\"");
    Map<String, Object> claims = JSONObjectUtils.parse(me.body());
    assertThat(claims)
        .containsEntry("sub", "alice")
        .containsEntry("iss", op.issuer())
        .containsEntry("name", "ALICE");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void meStartsALoginItselfAndLandsBackOnMe() throws Exception {
    Browser browser = new Browser();

    HttpResponse<String> start = browser.get(tomcat.url("/app/me"));
    assertThat(start.statusCode()).as(logs(start)).isEqualTo(302);
    assertThat(Browser.location(start).toString()).startsWith(op.issuer() + "/authorize?");

    HttpResponse<String> end = browser.navigate(tomcat.url("/app/me"));

    assertThat(end.uri().getRawPath()).isEqualTo("/app/me");
    assertThat(end.statusCode()).as(logs(end)).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(end.body())).containsEntry("sub", "alice");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void logoutEndsTheSessionHereAndAtTheOpAndTheOldCookieIsWorthless() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> landed = signIn(browser, tomcat, "/oidc-route/get").landed();
    String token = accessToken(JSONObjectUtils.parse(landed.body()));
    Browser copy = new Browser();
    copy.copyCookiesFrom(browser, tomcat.url("/app/"));
    assertThat(copy.get(tomcat.url("/app/oidc-route/get")).statusCode())
        .as("the copied jar works before logout")
        .isEqualTo(200);
    int endSessions = op.endSessionRequests.size();
    String refreshToken = op.refreshTokensIssued.get(op.refreshTokensIssued.size() - 1);

    HttpResponse<String> logout = browser.get(tomcat.url("/app/oidc-route/logout"));

    assertThat(logout.statusCode()).as(logs(logout)).isEqualTo(302);
    URI endSession = Browser.location(logout);
    assertThat(endSession.toString()).startsWith(op.issuer() + "/logout?");
    Map<String, String> logoutQuery = query(endSession);
    assertThat(logoutQuery.get("id_token_hint")).isNotBlank();
    assertThat(logoutQuery)
        .containsEntry("client_id", TestAuthServer.CLIENT_ID)
        .containsEntry("post_logout_redirect_uri", appUrl(tomcat, "/"));

    HttpResponse<String> atOp = browser.get(endSession);
    assertThat(atOp.statusCode()).isEqualTo(302);
    assertThat(op.endSessionRequests).hasSize(endSessions + 1);
    assertThat(op.endSessionRequests.get(endSessions))
        .containsEntry("id_token_hint", logoutQuery.get("id_token_hint"));
    // The refresh token is revoked; the JWT access token is left to expire (many IdPs refuse to
    // revoke one).
    assertThat(op.revoked).contains(refreshToken).doesNotContain(token);
    HttpResponse<String> home = browser.get(Browser.location(atOp));
    assertThat(home.uri().toString()).isEqualTo(appUrl(tomcat, "/"));
    assertThat(home.statusCode()).as(logs(home)).isEqualTo(200);
    assertThat(home.body()).contains("OIDC Gate sample");

    // Neither the logged-out browser nor a copy of its old cookies gets in any more.
    for (Browser b : List.of(browser, copy)) {
      for (String path : List.of("/app/oidc-route/get", "/app/me")) {
        HttpResponse<String> after = b.get(tomcat.url(path));
        assertThat(after.statusCode()).as(path + ": " + logs(after).get()).isEqualTo(302);
        assertThat(Browser.location(after).toString()).startsWith(op.issuer() + "/authorize?");
      }
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void apiTakesBearerTokensOnlyNeverTheSessionCookie() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> landed = signIn(browser, tomcat, "/oidc-route/get").landed();
    String token = accessToken(JSONObjectUtils.parse(landed.body()));
    int before = upstream.requests();

    HttpResponse<String> withCookieOnly = browser.get(tomcat.url("/app/api/get"));

    assertThat(withCookieOnly.statusCode()).as(logs(withCookieOnly)).isEqualTo(401);
    assertThat(withCookieOnly.headers().firstValue("Location")).isEmpty();
    assertThat(withCookieOnly.headers().firstValue("WWW-Authenticate"))
        .as(logs(withCookieOnly))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer realm="));
    assertThat(withCookieOnly.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(upstream.requests()).isEqualTo(before);

    // The OP's access token for this client is what /api/* takes.
    HttpResponse<String> withToken =
        browser.get(tomcat.url("/app/api/get?x=1"), "Authorization", "Bearer " + token);
    assertThat(withToken.statusCode()).as(logs(withToken)).isEqualTo(200);
    Map<String, Object> seen = JSONObjectUtils.parse(withToken.body());
    assertThat(seen.get("path")).isEqualTo("/get");
    assertThat(header(seen, "x-authenticated-user")).containsExactly("alice");
    assertThat(String.join(";", header(seen, "cookie").stream().map(String::valueOf).toList()))
        .doesNotContain("oidc_");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void redirectUriMayBeTheProtectedUrlItself() throws Exception {
    // The Cognito workshop registers the protected URL as the redirect URI. No OIDC_SESSION_SECRET
    // here:
    // the filter then uses a random key, with a warning.
    TomcatProcess own = TomcatProcess.forSampleWar("catalina-base-redirect-uri");
    try {
      Map<String, String> env = requiredEnvironment();
      env.put("OIDC_REDIRECT_URI", appUrl(own, "/oidc-route/get"));
      start(own, env);
      Browser browser = new Browser();

      SignIn signIn = signIn(browser, own, "/oidc-route/get?x=1");

      assertThat(signIn.authorizationRequest().get("redirect_uri"))
          .isEqualTo(appUrl(own, "/oidc-route/get"));
      assertThat(signIn.callback().getRawPath()).isEqualTo("/app/oidc-route/get");
      assertThat(query(signIn.callback())).containsKeys("code", "state");
      assertThat(signIn.returnedTo().getRawPath() + "?" + signIn.returnedTo().getRawQuery())
          .isEqualTo("/app/oidc-route/get?x=1");
      HttpResponse<String> landed = signIn.landed();
      assertThat(landed.statusCode()).as(own.logTail()).isEqualTo(200);
      Map<String, Object> seen = JSONObjectUtils.parse(landed.body());
      assertThat(seen.get("path")).isEqualTo("/get");
      assertThat(seen.get("query")).isEqualTo("x=1");
      assertThat(header(seen, "x-authenticated-user")).containsExactly("alice");
      assertThat(accessToken(seen)).isNotBlank();
      assertThat(own.logs()).contains("sessionSecret is not set");
    } finally {
      own.stop();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aForgedHostHeaderNeverBecomesTheRedirectUriWithOidcExternalUrlSet() throws Exception {
    URI app = tomcat.url("/");
    String answer;
    try (Socket socket = new Socket(app.getHost(), app.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /"
                  + CONTEXT
                  + "/oidc-route/get HTTP/1.1\r\nHost: evil.example\r\n"
                  + "Accept: text/html\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    assertThat(answer).as(tomcat.logTail()).startsWith("HTTP/1.1 302");
    String location =
        answer.lines().filter(l -> l.regionMatches(true, 0, "Location:", 0, 9)).findFirst().get();
    assertThat(query(URI.create(location.substring(9).trim())).get("redirect_uri"))
        .isEqualTo(appUrl(tomcat, "/oidc-route/callback"));
    assertThat(answer).doesNotContain("evil.example");
  }

  /** The four hops of a sign-in, each checked to be a redirect, and the answer where it ends. */
  private record SignIn(
      Map<String, String> authorizationRequest,
      URI callback,
      URI returnedTo,
      HttpResponse<String> landed) {}

  private static SignIn signIn(Browser browser, TomcatProcess at, String pathInApp)
      throws Exception {
    HttpResponse<String> start = browser.get(at.url("/" + CONTEXT + pathInApp));
    assertThat(start.statusCode())
        .as(() -> "opening " + pathInApp + ": " + describe(start) + at.logTail())
        .isEqualTo(302);
    URI authorize = Browser.location(start);
    assertThat(authorize.toString()).startsWith(op.issuer() + "/authorize?");
    HttpResponse<String> atOp = browser.get(authorize);
    assertThat(atOp.statusCode()).as(() -> "at the OP: " + describe(atOp)).isEqualTo(302);
    URI callback = Browser.location(atOp);
    HttpResponse<String> back = browser.get(callback);
    assertThat(back.statusCode())
        .as(() -> "at the callback: " + describe(back) + at.logTail())
        .isEqualTo(302);
    URI returnedTo = Browser.location(back);
    assertThat(returnedTo.getAuthority()).isEqualTo(callback.getAuthority());
    HttpResponse<String> landed = browser.get(returnedTo);
    return new SignIn(query(authorize), callback, returnedTo, landed);
  }

  private static Map<String, String> requiredEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("OIDC_ISSUER", op.issuer());
    env.put("OIDC_CLIENT_ID", TestAuthServer.CLIENT_ID);
    env.put("OIDC_CLIENT_SECRET", TestAuthServer.CLIENT_SECRET);
    env.put("UPSTREAM_URL", upstream.url());
    return env;
  }

  /**
   * Starts Tomcat and waits until the app is deployed and the route can send a browser to the OP.
   */
  private static void start(TomcatProcess t, Map<String, String> env) throws Exception {
    t.start(env);
    t.awaitStatus("/" + CONTEXT + "/api/get", 401, Duration.ofSeconds(60));
    // Login needs the OP's metadata; the filter reads it in the background, so wait for a redirect.
    Browser probe = new Browser();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline) {
      status = probe.get(t.url("/" + CONTEXT + "/oidc-route/")).statusCode();
      if (status == 302) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "/oidc-route/ never redirected to the OP (last " + status + ")\n" + t.logTail());
  }

  private static String appUrl(TomcatProcess t, String pathInApp) {
    return t.url("/" + CONTEXT + pathInApp).toString();
  }

  private static String accessToken(Map<String, Object> seen) {
    List<Object> authorization = header(seen, "authorization");
    assertThat(authorization).hasSize(1);
    String value = String.valueOf(authorization.get(0));
    assertThat(value).startsWith("Bearer ");
    return value.substring("Bearer ".length());
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> header(Map<String, Object> seen, String lowerCaseName) {
    Map<String, Object> headers = (Map<String, Object>) seen.get("headers");
    Object values = headers.get(lowerCaseName);
    return values == null ? List.of() : (List<Object>) values;
  }

  private static String describe(HttpResponse<String> response) {
    return response.uri()
        + " -> "
        + response.statusCode()
        + " "
        + response.headers().map()
        + " "
        + response.body()
        + "\n";
  }

  /**
   * The assertion description: the response, then the tail of Tomcat's logs (read only on failure).
   */
  private static Supplier<String> logs(HttpResponse<String> response) {
    return () -> describe(response) + tomcat.logTail();
  }
}
