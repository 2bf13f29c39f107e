package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Logout is not something another site can do (issue 9, item 7): a link or an image on another site
 * that points at the logout URL must end neither the session here nor, through {@code
 * id_token_hint}, the one at the IdP. Logout links inside the app, typed URLs and same-origin forms
 * keep working.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class LogoutCsrfTest {

  private static final String EVIL = "https://evil.example";

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    return p;
  }

  private TestBrowser signedIn() throws Exception {
    TestBrowser browser = new TestBrowser();
    assertThat(seen(browser.navigate(app.uri("/resource"))).get("principal")).isEqualTo("alice");
    return browser;
  }

  private String ownOrigin() {
    URI u = app.uri("/");
    return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
  }

  private void assertNothingEnded(TestBrowser browser, HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(r.body()).contains("<form method=\"post\" action=\"/app/logout\">");
    assertThat(op.endSessionRequests).isEmpty();
    assertThat(op.revoked).isEmpty();
    assertThat(seen(browser.get(app.uri("/resource"))).get("principal"))
        .as("still signed in")
        .isEqualTo("alice");
  }

  private void assertLoggedOut(TestBrowser browser, HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(location(r).toString()).startsWith(op.issuer() + "/logout?");
    assertThat(location(r).getRawQuery()).contains("id_token_hint=");
    HttpResponse<String> after = browser.get(app.uri("/resource"));
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(location(after).toString()).startsWith(op.issuer() + "/authorize");
  }

  static Stream<Arguments> crossSiteRequests() {
    return Stream.of(
        Arguments.of("a link, per fetch metadata", new String[] {"Sec-Fetch-Site", "cross-site"}),
        Arguments.of(
            "fetch metadata wins over a same-origin Referer",
            new String[] {"Sec-Fetch-Site", "cross-site", "Referer", "SELF/app/page"}),
        Arguments.of("an old browser's Origin", new String[] {"Origin", EVIL}),
        Arguments.of("an opaque Origin", new String[] {"Origin", "null"}),
        Arguments.of("an old browser's Referer", new String[] {"Referer", EVIL + "/page"}),
        Arguments.of("an unparseable Referer", new String[] {"Referer", "::not a url"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crossSiteRequests")
  void aCrossSiteLinkOrImageEndsNeitherTheSessionNorTheIdpSession(String what, String[] headers)
      throws Exception {
    app = apps.start(params());
    TestBrowser browser = signedIn();
    HttpResponse<String> r = browser.get(app.uri("/logout"), withOwnOrigin(headers));
    assertNothingEnded(browser, r);
  }

  @Test
  void aCrossSiteAutoSubmittedFormEndsNothing() throws Exception {
    app = apps.start(params());
    TestBrowser browser = signedIn();
    HttpResponse<String> r = browser.postForm(app.uri("/logout"), "", "Origin", EVIL);
    assertNothingEnded(browser, r);
  }

  static Stream<Arguments> sameSiteRequests() {
    return Stream.of(
        Arguments.of("a link inside the app", new String[] {"Sec-Fetch-Site", "same-origin"}),
        Arguments.of("a typed URL", new String[] {"Sec-Fetch-Site", "none"}),
        Arguments.of("a sibling subdomain", new String[] {"Sec-Fetch-Site", "same-site"}),
        Arguments.of("an old browser's link inside the app", new String[] {"Referer", "SELF/x"}),
        Arguments.of("no browser hints at all", new String[] {}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameSiteRequests")
  void aLogoutLinkInsideTheAppOrATypedUrlStillLogsOut(String what, String[] headers)
      throws Exception {
    app = apps.start(params());
    TestBrowser browser = signedIn();
    assertLoggedOut(browser, browser.get(app.uri("/logout"), withOwnOrigin(headers)));
  }

  @Test
  void aSameOriginPostFormStillLogsOut() throws Exception {
    app = apps.start(params());
    TestBrowser browser = signedIn();
    assertLoggedOut(browser, browser.postForm(app.uri("/logout"), "", "Origin", ownOrigin()));
  }

  @Test
  void theConfirmationPageSignsOutWithOneSameOriginClick() throws Exception {
    app = apps.start(params());
    TestBrowser browser = signedIn();
    HttpResponse<String> page = browser.get(app.uri("/logout"), "Sec-Fetch-Site", "cross-site");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("frame-ancestors 'none'");
    HttpResponse<String> click =
        browser.postForm(
            app.uri("/logout"), "", "Sec-Fetch-Site", "same-origin", "Origin", ownOrigin());
    assertLoggedOut(browser, click);
  }

  @Test
  void theOriginIsComparedWithExternalUrlWhenSet() throws Exception {
    Map<String, String> p = params();
    p.put("externalUrl", "https://app.example.com");
    app = apps.https(p);
    TestBrowser browser = new TestBrowser();
    URI callback = location(browser.get(location(browser.get(app.uri("/resource")))));
    // The reverse proxy at app.example.com forwards the callback to the app.
    browser.get(URI.create(app.uri("/callback") + "?" + callback.getRawQuery()));
    assertThat(seen(browser.get(app.uri("/resource"))).get("principal")).isEqualTo("alice");
    // The app's own internal address is not the origin browsers use: refused.
    assertNothingEnded(browser, browser.postForm(app.uri("/logout"), "", "Origin", ownOrigin()));
    assertLoggedOut(
        browser, browser.postForm(app.uri("/logout"), "", "Origin", "https://app.example.com"));
  }

  private String[] withOwnOrigin(String[] headers) {
    String[] out = headers.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = out[i].replace("SELF", ownOrigin());
    }
    return out;
  }
}
