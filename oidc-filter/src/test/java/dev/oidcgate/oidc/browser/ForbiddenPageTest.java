package dev.oidcgate.oidc.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A signed-in person refused by a rule or an unmet step-up sees an HTML page in the browser; a
 * script or API client gets the JSON; {@code errorPage} hands the page to the app or the container.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class ForbiddenPageTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private TestBrowser signedIn(String pathRules, String... more) throws Exception {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("rolesClaim", "realm_access.roles");
    p.put("pathRules", pathRules);
    for (int i = 0; i < more.length; i += 2) {
      p.put(more[i], more[i + 1]);
    }
    app = apps.start(p);
    op.roles = List.of("reader");
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    return browser;
  }

  @Test
  void aPersonRefusedByARoleRuleSeesAnHtmlPageAScriptGetsTheJson() throws Exception {
    TestBrowser browser = signedIn("/admin/* role=admin");
    URI u = app.uri("/");
    String origin = u.getScheme() + "://" + u.getHost() + ":" + u.getPort();

    HttpResponse<String> page =
        browser.get(app.uri("/admin/users"), "Referer", origin + "/app/list?q=1&r='x'");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'none'");
    assertThat(page.body())
        .contains("<h1>Access denied</h1>")
        .contains("<a id=\"switch-user\" href=\"/app/logout\">Sign in as someone else</a>")
        // the same-origin page the person came from is "back", escaped
        .contains("href=\"" + origin + "/app/list?q=1&amp;r=&#39;x&#39;\">Go back</a>");
    // a Referer that is no URL is not echoed at all
    HttpResponse<String> odd =
        browser.get(app.uri("/admin/users"), "Referer", origin + "/app/list?q=\"><b>x");
    assertThat(odd.body()).contains("href=\"/app/\">Go back</a>").doesNotContain("<b>x");

    HttpResponse<String> script =
        browser.get(
            app.uri("/admin/users"), "Accept", "application/json", "Sec-Fetch-Mode", "cors");
    assertThat(script.statusCode()).isEqualTo(403);
    assertThat(script.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(script.body()).startsWith("{\"error\":\"insufficient_scope\"");

    HttpResponse<String> xhr =
        browser.get(app.uri("/admin/users"), "X-Requested-With", "XMLHttpRequest");
    assertThat(xhr.statusCode()).isEqualTo(403);
    assertThat(xhr.body()).startsWith("{\"error\":\"insufficient_scope\"");
  }

  @Test
  void anotherSitesRefererIsNotTheBackLink() throws Exception {
    TestBrowser browser = signedIn("/admin/* role=admin");
    HttpResponse<String> page =
        browser.get(app.uri("/admin/users"), "Referer", "https://evil.example/phish");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("href=\"/app/\">Go back</a>").doesNotContain("evil");
  }

  @Test
  void aStepUpTheIdpCannotMeetEndsOnTheHtmlPage() throws Exception {
    TestBrowser browser = signedIn("/pay/* acr_values=urn:mfa");
    op.idTokenTweak = b -> b.claim("acr", "urn:pwd");
    HttpResponse<String> stepUp = browser.get(app.uri("/pay/now"));
    assertThat(stepUp.statusCode()).isEqualTo(302);
    HttpResponse<String> back =
        browser.get(TestBrowser.location(browser.get(TestBrowser.location(stepUp))));
    HttpResponse<String> refused = browser.get(TestBrowser.location(back));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(refused.body()).contains("<h1>Access denied</h1>");
  }

  @Test
  void errorPageForwardsToTheAppsOwnPageWithStatus403() throws Exception {
    TestBrowser browser = signedIn("/admin/* role=admin", "errorPage", "/denied");
    HttpResponse<String> page = browser.get(app.uri("/admin/users"));
    assertThat(page.statusCode()).isEqualTo(403);
    Map<String, Object> seen = FilterServer.seen(page);
    assertThat(seen.get("uri")).isEqualTo("/app/denied");
    assertThat(seen.get("errorStatus")).isEqualTo(403L);
    // the app's page runs without the filter's cookies, as every app page does
    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) seen.get("headers");
    assertThat(String.valueOf(headers.get("cookie"))).doesNotContain("oidc_session");
  }

  @Test
  void errorPageContainerLeavesThePageToTheContainersErrorPages() throws Exception {
    TestBrowser browser = signedIn("/admin/* role=admin", "errorPage", "container");
    HttpResponse<String> page = browser.get(app.uri("/admin/users"));
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("403").doesNotContain("Access denied</h1>");
  }
}
