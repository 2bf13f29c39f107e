package dev.oidcgate.oidc.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code loginPath?prompt=none}: a silent session check that comes back to the app with {@code
 * oidc_error} when the IdP needs the person, instead of an error page.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class SilentLoginTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private void start() throws Exception {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    app = apps.start(p);
  }

  /** The IdP has no session: it answers every authorization request with {@code error}. */
  private void idpAnswers(String error) {
    op.authorizeInstead =
        p ->
            p.get("redirect_uri")
                + "?error="
                + error
                + "&state="
                + URLEncoder.encode(p.get("state"), StandardCharsets.UTF_8)
                + "&iss="
                + URLEncoder.encode(op.issuer(), StandardCharsets.UTF_8);
  }

  @Test
  void promptNoneWithoutAnIdpSessionComesBackWithTheErrorParameter() throws Exception {
    start();
    idpAnswers("login_required");
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> start = browser.get(app.uri("/login?prompt=none&return=/app/page%3Fa=1"));
    assertThat(start.statusCode()).isEqualTo(302);
    URI authorize = TestBrowser.location(start);
    assertThat(authorize.getRawQuery()).contains("prompt=none");

    HttpResponse<String> callback = browser.get(TestBrowser.location(browser.get(authorize)));
    assertThat(callback.statusCode()).isEqualTo(302);
    assertThat(TestBrowser.location(callback))
        .isEqualTo(app.uri("/page?a=1&oidc_error=login_required"));
    // still nobody: the page (a script) can decide to log in for real
    HttpResponse<String> page =
        browser.get(app.uri("/page"), "Accept", "application/json", "Sec-Fetch-Mode", "cors");
    assertThat(page.statusCode()).isEqualTo(401);
  }

  @Test
  void promptNoneWithAnIdpSessionLogsInSilently() throws Exception {
    start();
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> done = browser.navigate(app.uri("/login?prompt=none&return=/app/page"));
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(done).get("principal")).isEqualTo("alice");
    assertThat(op.authorizationRequests.get(0)).containsEntry("prompt", "none");
  }

  @Test
  void theSameErrorForALoginThatWasNotSilentIsTheErrorPage() throws Exception {
    start();
    idpAnswers("interaction_required");
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> start = browser.get(app.uri("/login?return=/app/page"));
    assertThat(op.authorizationRequests).isEmpty();
    HttpResponse<String> callback =
        browser.get(TestBrowser.location(browser.get(TestBrowser.location(start))));
    assertThat(callback.statusCode()).isEqualTo(400);
    assertThat(callback.headers().firstValue("Location")).isEmpty();
    assertThat(callback.body()).contains("did not complete the login (interaction_required)");
  }

  @Test
  void otherErrorsOfASilentLoginAreTheErrorPage() throws Exception {
    start();
    idpAnswers("access_denied");
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> start = browser.get(app.uri("/login?prompt=none&return=/app/page"));
    HttpResponse<String> callback =
        browser.get(TestBrowser.location(browser.get(TestBrowser.location(start))));
    assertThat(callback.statusCode()).isEqualTo(400);
  }

  @Test
  void aSilentErrorForAStateThisBrowserDidNotStartIsRefused() throws Exception {
    start();
    idpAnswers("login_required");
    TestBrowser owner = new TestBrowser();
    HttpResponse<String> start = owner.get(app.uri("/login?prompt=none&return=/app/page"));
    URI callback = TestBrowser.location(owner.get(TestBrowser.location(start)));
    HttpResponse<String> other = new TestBrowser().get(callback);
    assertThat(other.statusCode()).isEqualTo(400);
  }
}
