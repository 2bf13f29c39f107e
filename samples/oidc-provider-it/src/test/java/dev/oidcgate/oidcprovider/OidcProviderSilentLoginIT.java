package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The silent session check ({@code loginPath?prompt=none}) against oidc-provider: without a session
 * at the OP the browser comes back to the app with {@code oidc_error=login_required}, never to the
 * OP's login page; with one, the login finishes without a page.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderSilentLoginIT {

  private static OidcProviderServer op;

  @BeforeAll
  @Timeout(360)
  static void startProvider() throws Exception {
    op = SharedProvider.get();
  }

  /** Follows the OP's redirects until the browser is sent to the app's callback. */
  private static URI toCallback(TestBrowser browser, URI authorize, FilterServer app)
      throws Exception {
    URI next = authorize;
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = browser.get(next);
      assertThat(TestBrowser.isRedirect(r)).as("a redirect from %s: %s", next, r.body()).isTrue();
      next = location(r);
      if (next.toString().startsWith(app.uri("/callback").toString())) {
        return next;
      }
    }
    throw new AssertionError("the OP never sent the browser back: " + next);
  }

  @Test
  @Timeout(60)
  void withoutASessionAtTheOpTheBrowserComesBackWithLoginRequired(FilterServers servers)
      throws Exception {
    AppClient client = new AppClient();
    FilterServer app = servers.start(client.filterSettings(op.issuer()));
    client.register(op, app);
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> start = browser.get(app.uri("/login?prompt=none&return=/app/page"));
    assertThat(start.statusCode()).isEqualTo(302);
    URI authorize = location(start);
    assertThat(OpSignIn.query(authorize)).containsEntry("prompt", "none");

    URI callback = toCallback(browser, authorize, app);
    assertThat(OpSignIn.query(callback)).containsEntry("error", "login_required");
    HttpResponse<String> back = browser.get(callback);
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(location(back)).isEqualTo(app.uri("/page?oidc_error=login_required"));
  }

  @Test
  @Timeout(60)
  void withASessionAtTheOpTheSilentCheckSignsInWithoutAPage(FilterServers servers)
      throws Exception {
    AppClient client = new AppClient();
    FilterServer app = servers.start(client.filterSettings(op.issuer()));
    client.register(op, app);
    TestBrowser browser = new TestBrowser();
    assertThat(OpSignIn.signIn(browser, app, op.issuer(), "/first", "alice").statusCode())
        .isEqualTo(200);
    // The app asks silently again (the login path always starts a new login).

    HttpResponse<String> start = browser.get(app.uri("/login?prompt=none&return=/app/page"));
    URI callback = toCallback(browser, location(start), app);
    assertThat(OpSignIn.query(callback)).containsKey("code").doesNotContainKey("error");
    HttpResponse<String> back = browser.get(callback);
    assertThat(location(back)).isEqualTo(app.uri("/page"));
    HttpResponse<String> page = browser.get(location(back));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(page).get("principal")).isEqualTo("alice");
  }
}
