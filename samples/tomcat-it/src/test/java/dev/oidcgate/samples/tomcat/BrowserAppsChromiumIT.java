package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 24 as a person meets it, in headless Chromium on the sample WAR on a real Tomcat 11,
 * signing in at a real development OpenID provider (mock-oauth2-server's login page): a form filled
 * after the session ended is posted after the new login, once ({@code OIDC_PRESERVE_POST=on}); a
 * multipart form over the limit is not; a signed-in user without the admin role sees the HTML page
 * on an admin path ({@code OIDC_PATH_RULES}), while the same request from a script gets the JSON.
 * Skipped without Chromium when run by hand, as {@link ChromiumSignInIT}.
 */
class BrowserAppsChromiumIT {

  private static MockIdpSampleWar app;
  private static EchoUpstream upstream;
  private static TomcatProcess tomcat;
  private static Chromium chromium;
  private static WebDriver browser;

  @BeforeAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    Chromium.assumeInstalled();

    app =
        MockIdpSampleWar.start(
            "catalina-base-browser-apps",
            "browser-apps-it-session-secret-0123456789abcdef",
            Map.of(
                "OIDC_PRESERVE_POST",
                "on",
                "OIDC_PRESERVE_POST_MAX_SIZE",
                "4096",
                "OIDC_PATH_RULES",
                "/oidc-route/admin/* role=admin"));
    upstream = app.upstream;
    tomcat = app.tomcat;

    chromium = Chromium.start();
    browser = chromium.driver();
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stop() throws Exception {
    Teardown.closeAll(chromium, app);
  }

  private static String issuer() {
    return app.issuer();
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  /** Signs in as {@code user} on the provider's login page, which the browser must be on. */
  private static void signInAtTheProvider(String user) {
    assertThat(chromium.awaitMockProviderLogin())
        .as(tomcat.logTail())
        .startsWith(issuer() + "/authorize");
    chromium.signInAtMockProvider(user);
  }

  private static void signedIn(String user) {
    browser.manage().deleteAllCookies();
    browser.get(tomcat.url("/app/oidc-route/get").toString());
    signInAtTheProvider(user);
    waiting().until(ExpectedConditions.urlContains("/app/oidc-route/get"));
  }

  /**
   * Puts a form on the app's own (public) start page, as an app's page would have it: same origin,
   * posting to {@code action}.
   */
  private static void openForm(String action, String enctype) {
    browser.get(tomcat.url("/app/").toString());
    ((JavascriptExecutor) browser)
        .executeScript(
            "document.body.innerHTML = '<form id=\"f\" method=\"post\" action=\"' + arguments[0]"
                + " + '\" enctype=\"' + arguments[1] + '\"><input name=\"title\" id=\"title\">"
                + "<textarea name=\"text\" id=\"text\"></textarea>"
                + "<button id=\"send\" type=\"submit\">Send</button></form>';",
            action,
            enctype);
  }

  private static String page() {
    return browser.findElement(By.tagName("body")).getText();
  }

  private static List<String> upstreamSaw(String prefix) {
    return upstream.seen().stream().filter(s -> s.startsWith(prefix)).toList();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aFormFilledAfterTheSessionEndedIsPostedOnceAfterTheNewLogin() throws Exception {
    signedIn("alice");
    String secret = "body-" + UUID.randomUUID();
    openForm("oidc-route/notes?draft=1", "application/x-www-form-urlencoded");
    browser.manage().deleteCookieNamed("oidc_session"); // the session ended meanwhile
    browser.findElement(By.id("title")).sendKeys("Groceries");
    browser.findElement(By.id("text")).sendKeys(secret + " & more");
    browser.findElement(By.id("send")).click();

    signInAtTheProvider("alice");
    waiting().until(ExpectedConditions.urlContains("/app/oidc-route/notes"));
    assertThat(browser.getCurrentUrl())
        .isEqualTo(tomcat.url("/app/oidc-route/notes?draft=1").toString());
    assertThat(page()).as(tomcat.logTail()).contains("\"method\":\"POST\"").contains("\"/notes\"");
    List<String> posts = upstreamSaw("POST /notes");
    assertThat(posts).containsExactly("POST /notes title=Groceries&text=" + secret + "+%26+more");

    // A reload asks for the page again: a GET, and no second POST.
    browser.navigate().refresh();
    assertThat(page()).contains("\"method\":\"GET\"");
    assertThat(upstreamSaw("POST /notes")).hasSize(1);
    assertThat(upstreamSaw("GET /notes")).hasSize(1);

    // What the person typed is in no log line of the server.
    assertThat(tomcat.logs()).doesNotContain(secret);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aMultipartFormOverTheLimitIsNotReplayedTheLoginComesBackWithAGet() throws Exception {
    signedIn("alice");
    openForm("oidc-route/upload", "multipart/form-data");
    browser.manage().deleteCookieNamed("oidc_session");
    browser.findElement(By.id("title")).sendKeys("big");
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('text').value = 'x'.repeat(10000);");
    browser.findElement(By.id("send")).click();

    signInAtTheProvider("alice");
    waiting().until(ExpectedConditions.urlContains("/app/oidc-route/upload"));
    assertThat(page()).as(tomcat.logTail()).contains("\"method\":\"GET\"");
    assertThat(upstreamSaw("POST /upload")).isEmpty();
    assertThat(upstreamSaw("GET /upload")).hasSize(1);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aUserWithoutTheAdminRoleSeesTheHtmlPageAScriptGetsTheJson() throws Exception {
    signedIn("bob");
    int before = upstream.requests();
    browser.get(tomcat.url("/app/oidc-route/admin/users").toString());
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .as(tomcat.logTail())
        .isEqualTo("Access denied");
    assertThat(browser.findElement(By.id("switch-user")).getDomAttribute("href"))
        .isEqualTo("/app/oidc-route/logout");

    // The same request from the app's page script (the refusal page itself allows no script).
    browser.get(tomcat.url("/app/").toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> script =
        (Map<String, Object>)
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "fetch('/app/oidc-route/admin/users', {credentials: 'same-origin',"
                        + " headers: {'Accept': 'application/json'}})"
                        + ".then(r => r.text().then(t => done({status: r.status,"
                        + " type: r.headers.get('Content-Type') || '', body: t})))"
                        + ".catch(e => done({status: -1, body: String(e)}));");
    assertThat(script.get("status")).isEqualTo(403L);
    assertThat((String) script.get("type")).startsWith("application/json");
    assertThat((String) script.get("body")).startsWith("{\"error\":\"insufficient_scope\"");
    assertThat(upstream.requests()).isEqualTo(before); // nothing reached the upstream
  }
}
