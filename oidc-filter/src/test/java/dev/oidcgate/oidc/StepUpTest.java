package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Step-up per path: {@code acr_values} and {@code max_age} checked in the session's ID token; a
 * session short of them logs in again with those values instead of being refused. A browser
 * stand-in, the filter in Jetty, an OP over HTTP.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class StepUpTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private void start(String pathRules) throws Exception {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("pathRules", pathRules);
    app = apps.start(p);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private void authenticatedAt(long epochSecond, String acr) {
    op.idTokenTweak = b -> b.claim("auth_time", epochSecond).claim("acr", acr);
  }

  @Test
  void aStaleSessionIsSentToLogInAgainWithMaxAgeAndThenReachesThePath() throws Exception {
    start("/admin/* max_age=5m");
    long now = System.currentTimeMillis() / 1000;
    authenticatedAt(now - 600, "urn:pwd");
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);

    HttpResponse<String> stepUp = browser.get(app.uri("/admin/users"));
    assertThat(stepUp.statusCode()).isEqualTo(302);
    URI authorize = TestBrowser.location(stepUp);
    assertThat(authorize.toString()).startsWith(op.issuer() + "/authorize");
    assertThat(query(authorize)).containsEntry("max_age", "300");

    authenticatedAt(now, "urn:pwd");
    HttpResponse<String> back = browser.get(TestBrowser.location(browser.get(authorize)));
    assertThat(TestBrowser.location(back)).isEqualTo(app.uri("/admin/users"));
    assertThat(browser.get(TestBrowser.location(back)).statusCode()).isEqualTo(200);
  }

  @Test
  void aWeakSessionLogsInAgainWithAcrValuesAndIsRefusedNotLoopedWhenStillWeak() throws Exception {
    start("/admin/* acr_values=urn:mfa");
    authenticatedAt(System.currentTimeMillis() / 1000, "urn:pwd");
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);

    HttpResponse<String> stepUp = browser.get(app.uri("/admin/users"));
    assertThat(stepUp.statusCode()).isEqualTo(302);
    URI authorize = TestBrowser.location(stepUp);
    assertThat(query(authorize)).containsEntry("acr_values", "urn:mfa");

    // The provider comes back without the stronger authentication.
    HttpResponse<String> back = browser.get(TestBrowser.location(browser.get(authorize)));
    HttpResponse<String> refused = browser.get(TestBrowser.location(back));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_user_authentication");

    // Another try, where the provider does step up.
    HttpResponse<String> again = browser.get(app.uri("/admin/users"));
    assertThat(again.statusCode()).isEqualTo(302);
    authenticatedAt(System.currentTimeMillis() / 1000, "urn:mfa");
    HttpResponse<String> strong =
        browser.get(TestBrowser.location(browser.get(TestBrowser.location(again))));
    assertThat(browser.get(TestBrowser.location(strong)).statusCode()).isEqualTo(200);
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(200);
  }

  @Test
  void aScriptOnAStepUpPathGetsTheJson401NotARedirect() throws Exception {
    start("/admin/* acr_values=urn:mfa");
    authenticatedAt(System.currentTimeMillis() / 1000, "urn:pwd");
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    HttpResponse<String> script =
        browser.get(
            app.uri("/admin/users"), "Accept", "application/json", "Sec-Fetch-Mode", "cors");
    assertThat(script.statusCode()).isEqualTo(401);
    assertThat(script.body()).contains("\"login_url\"");
  }
}
