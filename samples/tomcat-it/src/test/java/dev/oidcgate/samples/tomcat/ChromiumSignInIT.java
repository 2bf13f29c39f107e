package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person in a real browser: headless Chromium (Debian's, driven through /usr/bin/chromedriver)
 * opens the sample WAR on a real Tomcat 11, signs in on the login page of a real development OpenID
 * provider (mock-oauth2-server), sees the upstream's echo with the bearer token, opens /me, logs
 * out, and the old session no longer works. Without Chromium the test is skipped when run by hand
 * ({@code mvn verify}); in CI ({@code CI=true}) and under {@code ./test} (which installs it and
 * sets {@code OIDC_GATE_REQUIRE_BROWSER=1}) a missing browser is a failure.
 */
class ChromiumSignInIT {

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
            "catalina-base-chromium", "chromium-it-session-secret-0123456789abcdef", Map.of());
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

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aPersonSignsInSeesTheUpstreamAndMeLogsOutAndTheOldSessionIsWorthless() throws Exception {
    String issuer = app.issuer();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(tomcat.url("/app/").toString()); // fresh, whatever the other test left open
    assertThat(startPageStatus(wait)).startsWith("Not signed in.");
    browser.get(tomcat.url("/app/oidc-route/get?x=1").toString());

    // The provider's login page: a person types a user name and signs in.
    assertThat(chromium.awaitMockProviderLogin())
        .as(tomcat.logTail())
        .startsWith(issuer + "/authorize");
    chromium.signInAtMockProvider("alice");

    wait.until(ExpectedConditions.urlContains("/app/oidc-route/get"));
    assertThat(browser.getCurrentUrl()).isEqualTo(tomcat.url("/app/oidc-route/get?x=1").toString());
    String echo = browser.findElement(By.tagName("body")).getText();
    assertThat(echo)
        .as(tomcat.logTail())
        .contains("\"/get\"")
        .contains("Bearer ey")
        .contains("alice");

    browser.get(tomcat.url("/app/me").toString());
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("\"sub\":\"alice\"");

    // The public start page now says who is signed in, and until when the token is good.
    assertThat(startPageStatus(wait))
        .as(tomcat.logTail())
        .contains("Signed in as alice")
        .contains("Token valid until")
        .contains("Sign out");

    Set<Cookie> beforeLogout = browser.manage().getCookies();
    assertThat(beforeLogout).anyMatch(c -> c.getName().equals("oidc_session"));

    browser.get(tomcat.url("/app/oidc-route/logout").toString());
    wait.until(ExpectedConditions.urlToBe(tomcat.url("/app/").toString()));
    assertThat(browser.manage().getCookies()).noneMatch(c -> c.getName().equals("oidc_session"));
    assertThat(startPageStatus(wait)).startsWith("Not signed in.");

    // The old session cookie, put back as a thief would, opens nothing: the browser is sent to sign
    // in.
    for (Cookie c : beforeLogout) {
      if (c.getName().startsWith("oidc_session")) {
        browser.manage().addCookie(new Cookie(c.getName(), c.getValue(), c.getPath()));
      }
    }
    browser.get(tomcat.url("/app/oidc-route/get").toString());
    assertThat(chromium.awaitMockProviderLogin()).startsWith(issuer + "/authorize");
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aScriptsFetchAfterTheSessionEndedGetsJson401WithTheLoginUrlNotARedirect() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(tomcat.url("/app/oidc-route/get").toString());
    chromium.signInAtMockProvider("alice");
    wait.until(ExpectedConditions.urlContains("/app/oidc-route/get"));

    // The app's page, signed in: its script asks the session info path.
    assertThat(startPageStatus(wait)).as(tomcat.logTail()).contains("Signed in as alice");
    Map<String, Object> info = fetch("oidc-route/session");
    assertThat(info.get("status")).as(tomcat.logTail()).isEqualTo(200L);
    assertThat(info.get("authenticated")).isEqualTo(true);
    assertThat((String) info.get("body")).doesNotContain("eyJ");

    // The session ends (here: logged out in another tab), and the page's script fetches again.
    ((JavascriptExecutor) browser)
        .executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('oidc-route/logout', {credentials: 'same-origin', redirect: 'manual'})"
                + ".then(() => done(true), () => done(false));");
    Map<String, Object> after = fetch("oidc-route/get");
    assertThat(after.get("status")).as(tomcat.logTail()).isEqualTo(401L);
    assertThat(after.get("redirected")).isEqualTo(false);
    assertThat((String) after.get("type")).startsWith("application/json");
    assertThat(after.get("loginUrl")).isEqualTo(tomcat.url("/app/oidc-route/login").toString());
    assertThat(fetch("oidc-route/session").get("authenticated")).isEqualTo(false);
  }

  /** A same-origin {@code fetch} from the page, as an app's script makes it; what it saw. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> fetch(String relativeUrl) {
    return (Map<String, Object>)
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0], {credentials: 'same-origin',"
                    + " headers: {'Accept': 'application/json'}})"
                    + ".then(r => r.text().then(t => { let j = null;"
                    + " try { j = JSON.parse(t); } catch (e) { }"
                    + " done({status: r.status, redirected: r.redirected,"
                    + " type: r.headers.get('Content-Type') || '', body: t,"
                    + " loginUrl: j && j.login_url, authenticated: j && j.authenticated}); }))"
                    + ".catch(e => done({status: -1, body: String(e)}));",
                relativeUrl);
  }

  /**
   * Opens the start page unless the browser is on it, waits until its script has asked /me (it then
   * sets the status box's class), and returns what the box says.
   */
  private static String startPageStatus(WebDriverWait wait) {
    String home = tomcat.url("/app/").toString();
    if (!home.equals(browser.getCurrentUrl())) {
      browser.get(home);
    }
    wait.until(
        d -> {
          String cls = d.findElement(By.id("status")).getDomAttribute("class");
          return cls != null && !cls.isEmpty();
        });
    return browser.findElement(By.id("status")).getText();
  }
}
