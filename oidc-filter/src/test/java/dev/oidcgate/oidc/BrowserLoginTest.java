package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The authorization-code flow end to end: a browser stand-in, the filter in Jetty, an OP over HTTP.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class BrowserLoginTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("rolesClaim", "realm_access.roles");
    return p;
  }

  private void start(Map<String, String> params) throws Exception {
    app = apps.start(params);
  }

  /** Opens the protected URL, follows the login, and returns the answer at the end. */
  private HttpResponse<String> signIn(TestBrowser browser, String path) throws Exception {
    return browser.navigate(app.uri(path));
  }

  @Test
  void aBrowserSignsInReachesTheAppAndComesBackToTheUrlItAskedFor() throws Exception {
    start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> first = browser.get(app.uri("/resource?x=1&y=2"));
    assertThat(first.statusCode()).isEqualTo(302);
    URI authorize = location(first);
    assertThat(authorize.toString()).startsWith(op.issuer() + "/authorize?");
    Map<String, String> q = query(authorize);
    assertThat(q)
        .containsEntry("response_type", "code")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("client_id", TestAuthServer.CLIENT_ID)
        .containsKeys("state", "nonce", "code_challenge");
    assertThat(q.get("redirect_uri")).isEqualTo(app.uri("/callback").toString());
    assertThat(q.get("scope")).contains("openid");

    HttpResponse<String> callback = browser.get(authorize);
    HttpResponse<String> back = browser.get(location(callback));
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(back.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(back.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(location(back)).isEqualTo(app.uri("/resource?x=1&y=2"));
    List<String> setCookies = back.headers().allValues("Set-Cookie");
    assertThat(setCookies)
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("oidc_session=")
                    .contains("HttpOnly")
                    .contains("SameSite=Lax")
                    .contains("Path=/app"));

    HttpResponse<String> page = browser.get(location(back));
    assertThat(page.statusCode()).isEqualTo(200);
    Map<String, Object> seen = seen(page);
    assertThat(seen.get("principal")).isEqualTo("alice");
    assertThat(((String) ((List<?>) ((Map<?, ?>) seen.get("headers")).get("authorization")).get(0)))
        .startsWith("Bearer ey");
    assertThat(op.codeExchanges).hasValue(1);
  }

  @Test
  void rolesFromTheAccessTokenAnswerIsUserInRoleAndAccessRulesApply() throws Exception {
    Map<String, String> p = params();
    p.put("rolesRequired", "reader");
    start(p);
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = signIn(browser, "/resource?role=reader");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(seen(page).get("inRole")).isEqualTo(true);

    op.roles = List.of("nobody");
    op.nextUser = "bob";
    HttpResponse<String> refused = signIn(new TestBrowser(), "/resource");
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  @Test
  void aSessionIdPlantedBeforeLoginIsNeverTheSessionAfterIt() throws Exception {
    Map<String, String> p = params();
    p.put("sessionStore", "memory"); // the cookie then holds the session id itself
    start(p);
    String planted = "AttackerKnowsThisId_0123456789abcdefghij";
    TestBrowser victim = new TestBrowser();
    victim.setCookie(app.uri("/"), "oidc_session", planted);
    HttpResponse<String> page = signIn(victim, "/resource");
    assertThat(page.statusCode()).isEqualTo(200);
    // The jar now holds the planted cookie (its own domain attribute) and the one the login set.
    List<String> ids =
        victim.cookies().stream()
            .filter(c -> c.getName().equals("oidc_session"))
            .map(java.net.HttpCookie::getValue)
            .filter(v -> !v.equals(planted))
            .toList();
    assertThat(ids).hasSize(1);
    String afterLogin = ids.get(0);
    assertThat(afterLogin).hasSizeGreaterThanOrEqualTo(43); // 256 random bits

    TestBrowser attacker = new TestBrowser();
    attacker.setCookie(app.uri("/"), "oidc_session", planted);
    assertThat(attacker.get(app.uri("/resource")).statusCode())
        .isEqualTo(302); // the planted id opens nothing

    TestBrowser again = new TestBrowser();
    signIn(again, "/resource");
    assertThat(again.cookie("oidc_session"))
        .isNotEqualTo(afterLogin); // every login gets its own id
  }

  @Test
  void refreshKeepsTheSessionAliveAndLogoutEndsItEverywhere() throws Exception {
    op.accessTokenLifetime = 3;
    Map<String, String> p = params();
    p.put("refreshLeeway", "2500ms");
    start(p);
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = signIn(browser, "/resource");
    String firstToken = header(page, "authorization");
    Thread.sleep(1700); // past half the token's life and inside the refresh leeway now
    HttpResponse<String> refreshed = browser.get(app.uri("/resource"));
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(op.refreshes).hasValue(1);
    assertThat(header(refreshed, "authorization")).isNotEqualTo(firstToken);

    TestBrowser replayer = new TestBrowser();
    replayer.copyCookiesFrom(browser, app.uri("/"));

    HttpResponse<String> logout = browser.get(app.uri("/logout"));
    assertThat(logout.statusCode()).isEqualTo(302);
    URI endSession = location(logout);
    assertThat(endSession.toString()).startsWith(op.issuer() + "/logout?");
    Map<String, String> q = query(endSession);
    assertThat(q)
        .containsKeys("id_token_hint")
        .containsEntry("client_id", TestAuthServer.CLIENT_ID)
        .containsEntry("post_logout_redirect_uri", app.uri("/").toString());
    // The current (rotated) refresh token; the JWT access token is left to expire.
    assertThat(op.revoked)
        .containsExactly(op.refreshTokensIssued.get(op.refreshTokensIssued.size() - 1));

    HttpResponse<String> after = browser.get(app.uri("/resource"));
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(location(after).toString()).startsWith(op.issuer() + "/authorize");
    HttpResponse<String> replayed = replayer.get(app.uri("/resource"));
    assertThat(replayed.statusCode()).as("a replayed pre-logout cookie").isEqualTo(302);
  }

  @Test
  void concurrentRequestsShareOneRefresh() throws Exception {
    op.accessTokenLifetime = 3;
    Map<String, String> p = params();
    p.put("refreshLeeway", "2500ms");
    start(p);
    TestBrowser browser = new TestBrowser();
    signIn(browser, "/resource");
    op.accessTokenLifetime = 300; // the refreshed token is not due again at once
    Thread.sleep(1700);
    assertThat(op.refreshes).hasValue(0);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> browser.get(app.uri("/resource")).statusCode()));
      }
      for (var f : results) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(op.refreshes).hasValue(1);
  }

  @Test
  void anExpiredSessionWithoutRefreshTokenSendsTheBrowserToLogInAndXhrGets401() throws Exception {
    op.accessTokenLifetime = 1;
    op.issueRefreshTokens = false;
    Map<String, String> p = params();
    p.put("refreshLeeway", "0s");
    start(p);
    TestBrowser browser = new TestBrowser();
    assertThat(signIn(browser, "/resource").statusCode()).isEqualTo(200);
    Thread.sleep(1200);
    HttpResponse<String> xhr =
        browser.get(app.uri("/resource"), "X-Requested-With", "XMLHttpRequest");
    assertThat(xhr.statusCode()).isEqualTo(401);
    HttpResponse<String> nav = browser.get(app.uri("/resource"));
    assertThat(nav.statusCode()).isEqualTo(302);
    assertThat(location(nav).toString()).startsWith(op.issuer() + "/authorize");
  }

  @Test
  void apiCallsWithoutSessionGet401NotARedirect() throws Exception {
    start(params());
    HttpResponse<String> api = app.get("/resource", "Accept", "application/json");
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate")).isPresent();
    HttpResponse<String> post = new TestBrowser().postForm(app.uri("/resource"), "a=b");
    assertThat(post.statusCode()).isEqualTo(401);
  }

  @Test
  void denyAndPassActionsAreHonoured() throws Exception {
    Map<String, String> p = params();
    p.put("unauthenticatedAction", "pass");
    start(p);
    HttpResponse<String> anonymous = new TestBrowser().get(app.uri("/resource"));
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(seen(anonymous).get("principal")).isNull();
    app.close();
    p.put("unauthenticatedAction", "deny");
    start(p);
    assertThat(new TestBrowser().get(app.uri("/resource")).statusCode()).isEqualTo(401);
  }

  // ---- refusals at the callback ----

  private HttpResponse<String> callbackWith(Consumer<URI[]> tamper) throws Exception {
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    URI callback = location(browser.get(authorize));
    URI[] holder = {callback};
    tamper.accept(holder);
    return browser.get(holder[0]);
  }

  private void assertRefused(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith("oidc_session=") && !c.startsWith("oidc_session=;"));
    assertThat(r.body()).contains("Sign-in failed").doesNotContain("Exception");
    assertThat(op.codeExchanges.get()).isLessThanOrEqualTo(1);
  }

  @Test
  void aCallbackWithoutStateIsRefusedBeforeAnyTokenRequest() throws Exception {
    start(params());
    HttpResponse<String> r =
        callbackWith(u -> u[0] = URI.create(u[0].toString().replaceAll("state=[^&]*&?", "")));
    assertRefused(r);
    assertThat(op.codeExchanges).hasValue(0);
  }

  @Test
  void aCallbackWithAWrongStateIsRefusedBeforeAnyTokenRequest() throws Exception {
    start(params());
    HttpResponse<String> r =
        callbackWith(
            u -> u[0] = URI.create(u[0].toString().replaceAll("state=[^&]*", "state=forged")));
    assertRefused(r);
    assertThat(op.codeExchanges).hasValue(0);
  }

  /**
   * Found by fuzzing (docs/fuzzing.md): Nimbus threw on a code that trims to nothing, which only
   * the filter's safety net turned into a 400 ("could not be completed", and an ERROR log line).
   */
  @ParameterizedTest
  @ValueSource(strings = {"%20", "%1D", "%00%09"})
  void aBlankCodeIsRefusedBeforeAnyTokenRequest(String code) throws Exception {
    start(params());
    HttpResponse<String> r =
        callbackWith(
            u -> u[0] = URI.create(u[0].toString().replaceAll("code=[^&]*", "code=" + code)));
    assertRefused(r);
    assertThat(r.body()).contains("The login response has no code");
    assertThat(op.codeExchanges).hasValue(0);
  }

  @Test
  void aReplayedCallbackIsRefused() throws Exception {
    start(params());
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    URI callback = location(browser.get(authorize));
    TestBrowser attacker = new TestBrowser();
    attacker.copyCookiesFrom(browser, app.uri("/"));
    assertThat(browser.get(callback).statusCode()).isEqualTo(302);
    assertRefused(browser.get(callback));
    assertRefused(attacker.get(callback)); // even with a copy of the login cookie
  }

  @Test
  void anotherBrowsersCallbackIsRefused() throws Exception {
    start(params());
    TestBrowser victim = new TestBrowser();
    URI authorize = location(victim.get(app.uri("/resource")));
    URI callback = location(victim.get(authorize));
    assertRefused(new TestBrowser().get(callback)); // login CSRF: no login cookie in this browser
  }

  @Test
  void aWrongAuthorizationResponseIssuerIsRefused() throws Exception {
    start(params());
    op.authorizationResponseIss = "https://attacker.example";
    assertRefused(callbackWith(u -> {}));
    assertThat(op.codeExchanges).hasValue(0);
  }

  @Test
  void aMissingAuthorizationResponseIssuerIsRefusedWhenTheProviderSaysItSendsOne()
      throws Exception {
    start(params());
    assertRefused(
        callbackWith(u -> u[0] = URI.create(u[0].toString().replaceAll("&iss=[^&]*", ""))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"nonce", "signature", "iss", "aud", "exp", "iat", "sub", "azp", "at_hash"})
  void badIdTokensAreRefused(String what) throws Exception {
    start(params());
    long now = System.currentTimeMillis();
    Consumer<JWTClaimsSet.Builder> tweak =
        switch (what) {
          case "nonce" -> b -> b.claim("nonce", "not-the-nonce");
          case "iss" -> b -> b.issuer("https://evil.example");
          case "aud" -> b -> b.audience("another-client");
          case "exp" -> b -> b.expirationTime(new Date(now - 600_000));
          case "iat" -> b -> b.issueTime(new Date(now + 600_000));
          case "sub" -> b -> b.subject(null);
          case "azp" ->
              b -> b.audience(List.of(TestAuthServer.CLIENT_ID, "other")).claim("azp", "other");
          case "at_hash" -> b -> b.claim("at_hash", "AAAAAAAAAAAAAAAAAAAAAA");
          default -> b -> {};
        };
    op.idTokenTweak = tweak;
    op.signWithUnpublishedKey = what.equals("signature");
    HttpResponse<String> r = callbackWith(u -> {});
    assertRefused(r);
  }

  /** Issue 9 item 1: the login after a rotation failed while the last key fetch was recent. */
  @Test
  void aKeyRotatedRightAfterALoginSignsTheNextLoginWithoutWaiting() throws Exception {
    start(params());
    assertThat(signIn(new TestBrowser(), "/resource").statusCode()).isEqualTo(200);
    op.rotateKey();
    HttpResponse<String> next = signIn(new TestBrowser(), "/resource");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(seen(next).get("principal")).isEqualTo("alice");
  }

  /** Issue 9 item 2: one policy with the bearer path, which refuses it too. */
  @Test
  void anIdTokenWithoutKidIsRefusedAsAmbiguousWhenSeveralKeysFit() throws Exception {
    op.rotateKey(); // two keys published
    op.idTokenWithoutKid = true;
    start(params());
    assertRefused(callbackWith(u -> {}));
  }

  @Test
  void aUserInfoResponseForAnotherSubjectIsRefused() throws Exception {
    Map<String, String> p = params();
    p.put("userInfo", "true");
    start(p);
    op.userInfoSubject = "mallory";
    assertRefused(callbackWith(u -> {}));
  }

  @Test
  void userInfoClaimsReachTheAppWhenAskedFor() throws Exception {
    Map<String, String> p = params();
    p.put("userInfo", "true");
    p.put("upstreamClaimHeaders", "X-User-Email=email");
    start(p);
    HttpResponse<String> page = signIn(new TestBrowser(), "/resource");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(header(page, "x-user-email")).isEqualTo("alice@example.com");
  }

  @Test
  void anIdpErrorIsShownAsAShortEscapedPage() throws Exception {
    start(params());
    HttpResponse<String> r =
        callbackWith(
            u ->
                u[0] =
                    URI.create(
                        u[0].toString()
                            .replaceAll(
                                "code=[^&]*", "error=%3Cscript%3Ealert(1)%3C%2Fscript%3E")));
    assertRefused(r);
    assertThat(r.body()).doesNotContain("<script>").contains("&lt;script&gt;");
  }

  // ---- sessions ----

  @ParameterizedTest
  @ValueSource(strings = {"tampered", "truncated", "garbage", "empty"})
  void aDamagedSessionCookieGivesNoSession(String damage) throws Exception {
    start(params());
    TestBrowser browser = new TestBrowser();
    signIn(browser, "/resource");
    String value = browser.cookie("oidc_session");
    String damaged =
        switch (damage) {
          case "tampered" ->
              value.substring(0, value.length() - 30)
                  + (value.charAt(value.length() - 30) == 'A' ? 'B' : 'A')
                  + value.substring(value.length() - 29);
          case "truncated" -> value.substring(0, value.length() / 2);
          case "garbage" -> "not.a.session.cookie.at-all";
          default -> "";
        };
    browser.setCookie(app.uri("/"), "oidc_session", damaged);
    HttpResponse<String> r = browser.get(app.uri("/resource"));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(location(r).toString()).startsWith(op.issuer());
  }

  @Test
  void largeSessionsAreChunkedAndAReorderedChunkGivesNoSession() throws Exception {
    Map<String, String> p = params();
    p.put("userInfo", "true");
    start(p);
    // Random names, so that compression cannot shrink the session below one cookie.
    op.roles =
        java.util.stream.IntStream.range(0, 70)
            .mapToObj(i -> java.util.UUID.randomUUID().toString())
            .toList();
    TestBrowser browser = new TestBrowser();
    assertThat(signIn(browser, "/resource").statusCode()).isEqualTo(200);
    String first = browser.cookie("oidc_session");
    String second = browser.cookie("oidc_session.1");
    assertThat(second).as("the session was split into chunks").isNotNull();
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(200);
    browser.setCookie(app.uri("/"), "oidc_session", second);
    browser.setCookie(app.uri("/"), "oidc_session.1", first);
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(302);
  }

  @Test
  void twoBrowsersLoggingInAtOnceDoNotMix() throws Exception {
    start(params());
    TestBrowser a = new TestBrowser();
    TestBrowser b = new TestBrowser();
    URI authorizeA = location(a.get(app.uri("/a")));
    URI authorizeB = location(b.get(app.uri("/b")));
    op.nextUser = "alice";
    URI callbackA = location(a.get(authorizeA));
    op.nextUser = "bob";
    URI callbackB = location(b.get(authorizeB));
    URI backB = location(b.get(callbackB));
    URI backA = location(a.get(callbackA));
    assertThat(backA).isEqualTo(app.uri("/a"));
    assertThat(backB).isEqualTo(app.uri("/b"));
    assertThat(seen(a.get(backA)).get("principal")).isEqualTo("alice");
    assertThat(seen(b.get(backB)).get("principal")).isEqualTo("bob");
  }

  @Test
  void twoTabsOfOneBrowserCanBothFinishTheirLogins() throws Exception {
    start(params());
    TestBrowser browser = new TestBrowser();
    URI authorize1 = location(browser.get(app.uri("/tab1")));
    URI authorize2 = location(browser.get(app.uri("/tab2")));
    URI callback1 = location(browser.get(authorize1));
    URI callback2 = location(browser.get(authorize2));
    assertThat(location(browser.get(callback2))).isEqualTo(app.uri("/tab2"));
    assertThat(location(browser.get(callback1))).isEqualTo(app.uri("/tab1"));
  }

  @Test
  void loginsInFlightPerBrowserAreBounded() throws Exception {
    Map<String, String> p = params();
    p.put("maxLoginsInFlight", "2");
    start(p);
    TestBrowser browser = new TestBrowser();
    for (int i = 0; i < 6; i++) {
      browser.get(app.uri("/t" + i));
    }
    assertThat(browser.cookies().stream().filter(c -> c.getName().startsWith("oidc_login_")))
        .hasSize(2);
  }

  @Test
  void formPostResponseModeCompletesTheLogin() throws Exception {
    Map<String, String> p = params();
    p.put("responseMode", "form_post");
    start(p);
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    assertThat(query(authorize)).containsEntry("response_mode", "form_post");
    String form = browser.get(authorize).body();
    String code = between(form, "name=\"code\" value=\"", "\"");
    String state = between(form, "name=\"state\" value=\"", "\"");
    String iss = between(form, "name=\"iss\" value=\"", "\"");
    HttpResponse<String> back =
        browser.postForm(
            app.uri("/callback"),
            "code="
                + code
                + "&state="
                + state
                + "&iss="
                + java.net.URLEncoder.encode(iss, StandardCharsets.UTF_8));
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(seen(browser.get(location(back))).get("principal")).isEqualTo("alice");
  }

  @Test
  void theRedirectUriMayBeTheProtectedUrlItself() throws Exception {
    Map<String, String> p = params();
    p.put("redirectUri", "/get");
    start(p);
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = signIn(browser, "/get");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.uri()).isEqualTo(app.uri("/get"));
    assertThat(seen(page).get("principal")).isEqualTo("alice");
  }

  @Test
  void memoryAndContainerSessionStoresWorkAndEndAtLogout() throws Exception {
    for (String store : List.of("memory", "container")) {
      Map<String, String> p = params();
      p.put("sessionStore", store);
      start(p);
      TestBrowser browser = new TestBrowser();
      assertThat(signIn(browser, "/resource").statusCode()).as(store).isEqualTo(200);
      assertThat(browser.get(app.uri("/resource")).statusCode()).as(store).isEqualTo(200);
      TestBrowser replayer = new TestBrowser();
      replayer.copyCookiesFrom(browser, app.uri("/"));
      browser.get(app.uri("/logout"));
      assertThat(replayer.get(app.uri("/resource")).statusCode())
          .as(store + " replay after logout")
          .isEqualTo(302);
      app.close();
      app = null;
    }
  }

  private static String header(HttpResponse<String> page, String name) throws Exception {
    return (String) ((List<?>) ((Map<?, ?>) seen(page).get("headers")).get(name)).get(0);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String rawQuery(Map<String, String> params) {
    StringBuilder b = new StringBuilder();
    params.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : "&")
                .append(k)
                .append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }

  private static String between(String text, String start, String end) {
    int i = text.indexOf(start) + start.length();
    return text.substring(i, text.indexOf(end, i));
  }

  @ParameterizedTest
  @ValueSource(strings = {"post", "none"})
  void theCodeIsExchangedWithClientSecretPostOrAsAPublicClient(String method) throws Exception {
    Map<String, String> p = params();
    if (method.equals("post")) {
      p.put("tokenEndpointAuthMethod", "client_secret_post");
    } else {
      p.remove("clientSecret");
      p.put("tokenEndpointAuthMethod", "none");
    }
    op.clientAuth = method;
    start(p);
    assertThat(signIn(new TestBrowser(), "/resource").statusCode()).isEqualTo(200);
    assertThat(op.codeExchanges).hasValue(1);
  }

  @Test
  void aFailedRefreshWithAStillValidTokenCarriesOn() throws Exception {
    op.accessTokenLifetime = 4;
    Map<String, String> p = params();
    p.put("refreshLeeway", "3s");
    start(p);
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> first = signIn(browser, "/resource");
    op.failRefresh = true;
    Thread.sleep(2100); // due (half its life) but still valid for about two seconds
    HttpResponse<String> again = browser.get(app.uri("/resource"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(header(again, "authorization")).isEqualTo(header(first, "authorization"));
    assertThat(op.refreshes).hasValue(0);
  }

  @Test
  void aRefreshedIdTokenForAnotherSubjectEndsTheRefreshAndTheExpiredSession() throws Exception {
    op.accessTokenLifetime = 2;
    Map<String, String> p = params();
    p.put("refreshLeeway", "0s");
    start(p);
    TestBrowser browser = new TestBrowser();
    assertThat(signIn(browser, "/resource").statusCode()).isEqualTo(200);
    op.refreshIdTokenTweak = b -> b.subject("mallory");
    Thread.sleep(2100);
    HttpResponse<String> r = browser.get(app.uri("/resource"));
    assertThat(r.statusCode()).isEqualTo(302); // not mallory's session: log in again
    assertThat(location(r).toString()).startsWith(op.issuer());
  }

  @Test
  void anIdleSessionEnds() throws Exception {
    Map<String, String> p = params();
    p.put("sessionIdleTimeout", "1s");
    start(p);
    TestBrowser browser = new TestBrowser();
    assertThat(signIn(browser, "/resource").statusCode()).isEqualTo(200);
    Thread.sleep(1300);
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(302);
  }

  @Test
  void aCognitoStyleLogoutUrlGetsItsOwnRedirectParameter() throws Exception {
    Map<String, String> p = params();
    p.put("logoutEndpoint", "https://auth.example.com/logout");
    p.put("logoutRedirectParameter", "logout_uri");
    p.put("postLogoutRedirectUri", "/bye");
    start(p);
    TestBrowser browser = new TestBrowser();
    signIn(browser, "/resource");
    URI target = location(browser.get(app.uri("/logout")));
    assertThat(target.toString()).startsWith("https://auth.example.com/logout?");
    assertThat(query(target))
        .containsEntry("client_id", TestAuthServer.CLIENT_ID)
        .containsEntry("logout_uri", app.uri("/bye").toString());
  }

  @Test
  void theIdTokenMayBePassedOnAndClientSentCopiesAreDropped() throws Exception {
    Map<String, String> p = params();
    p.put("upstreamIdTokenHeader", "X-Id-Token");
    start(p);
    TestBrowser browser = new TestBrowser();
    signIn(browser, "/resource");
    HttpResponse<String> page = browser.get(app.uri("/resource"), "X-Id-Token", "forged");
    assertThat(header(page, "x-id-token")).startsWith("ey").isNotEqualTo("forged");
  }

  @Test
  void openRedirectPayloadsInTheRequestedPathStayOnTheOrigin() throws Exception {
    start(params());
    for (String path : List.of("//evil.example/x", "/%2f%5cevil.example", "/..//evil.example")) {
      TestBrowser browser = new TestBrowser();
      HttpResponse<String> r = browser.get(URI.create(app.uri("").toString() + path));
      if (r.statusCode() != 302) {
        continue; // the container refused the path itself
      }
      URI back = location(browser.get(location(browser.get(location(r)))));
      assertThat(back.getHost()).as(path).isEqualTo("127.0.0.1");
      assertThat(back.getPort()).as(path).isEqualTo(app.uri("").getPort());
    }
  }

  @Test
  void theFiltersOwnCookiesNeverReachTheAppOrWhatLiesBehindIt() throws Exception {
    start(params());
    TestBrowser browser = new TestBrowser();
    signIn(browser, "/resource");
    browser.setCookie(app.uri("/"), "theme", "dark");
    browser.get(app.uri("/another-login-in-flight")); // leaves an oidc_login_ cookie in the jar
    HttpResponse<String> page = browser.get(app.uri("/resource"));
    assertThat(page.statusCode()).isEqualTo(200);
    List<?> cookies = (List<?>) ((Map<?, ?>) seen(page).get("headers")).get("cookie");
    assertThat(cookies).hasSize(1);
    assertThat((String) cookies.get(0)).contains("theme=dark").doesNotContain("oidc_");
  }

  @Test
  void cookieAttributesFollowTheConfiguration() throws Exception {
    Map<String, String> p = params();
    p.put("sessionCookieSameSite", "Strict");
    p.put("sessionCookieSecure", "true");
    p.put("sessionCookieDomain", "127.0.0.1");
    p.put("sessionCookiePath", "/");
    start(p);
    // Over plain http a Secure cookie never comes back, so the login cannot finish here; the login
    // cookie shows the attributes, with SameSite relaxed to Lax so that the IdP's redirect carries
    // it.
    List<String> setCookies =
        new TestBrowser().get(app.uri("/resource")).headers().allValues("Set-Cookie");
    assertThat(setCookies)
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("oidc_login_")
                    .contains("Path=/;")
                    .contains("Domain=127.0.0.1")
                    .contains("HttpOnly")
                    .contains("Secure")
                    .contains("SameSite=Lax")
                    .contains("Max-Age=600")
                    .contains("Expires="));

    app.close();
    p.put("sessionCookieSecure", "auto");
    p.put("sessionCookieName", "app_sid");
    start(p);
    TestBrowser browser = new TestBrowser();
    URI callback = location(browser.get(location(browser.get(app.uri("/resource")))));
    List<String> afterLogin = browser.get(callback).headers().allValues("Set-Cookie");
    assertThat(afterLogin)
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("app_sid=")
                    .contains("Path=/;")
                    .contains("Domain=127.0.0.1")
                    .contains("HttpOnly")
                    .contains("SameSite=Strict")
                    .doesNotContain("Secure"));
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(200);
  }
}
