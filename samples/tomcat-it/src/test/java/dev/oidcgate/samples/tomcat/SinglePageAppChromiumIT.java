package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
 * The sample WAR's single-page page ({@code /oidc-route/app/}) in a real Chromium on a real Tomcat
 * 11 with {@code OIDC_ANTI_FORGERY_HEADER=X-CSRF}: it shows the user from the session info, its API
 * call (a POST with {@code X-CSRF}) reaches the upstream, a form on another origin that posts to
 * the same API with the session cookie gets 403 and never reaches the upstream, and after the
 * session ends the page's next call logs the person in again. Skipped without Chromium unless CI.
 */
class SinglePageAppChromiumIT {

  private static MockIdpSampleWar app;
  private static EchoUpstream upstream;
  private static TomcatProcess tomcat;
  private static HttpServer otherOrigin;
  private static Chromium chromium;
  private static WebDriver browser;

  @BeforeAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    Chromium.assumeInstalled();

    app =
        MockIdpSampleWar.start(
            "catalina-base-spa",
            "spa-it-session-secret-0123456789abcdef-xyz",
            Map.of("OIDC_ANTI_FORGERY_HEADER", "X-CSRF"));
    upstream = app.upstream;
    tomcat = app.tomcat;

    // Another origin (same host, another port): a page with a form that posts to the app's API.
    otherOrigin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String target = tomcat.url("/app/oidc-route/anything/spa").toString();
    byte[] page =
        ("<!DOCTYPE html><html><body><form id=f method=post action=\""
                + target
                + "\"><input name=amount value=1000></form>"
                + "<script>document.getElementById('f').submit();</script></body></html>")
            .getBytes(StandardCharsets.UTF_8);
    otherOrigin.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    otherOrigin.start();

    chromium = Chromium.start();
    browser = chromium.driver();
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stop() throws Exception {
    Teardown.closeAll(chromium, otherOrigin == null ? null : () -> otherOrigin.stop(0), app);
  }

  private static String waitForText(WebDriverWait wait, String id, String prefix) {
    wait.until(d -> d.findElement(By.id(id)).getText().startsWith(prefix));
    return browser.findElement(By.id(id)).getText();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theSpaShowsTheUserCallsTheApiWithTheHeaderAForeignFormGets403AndItLogsInAgain()
      throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    String spa = tomcat.url("/app/oidc-route/app/").toString();

    // The page is behind the filter: a first visit signs in, then comes back to it.
    browser.get(spa);
    chromium.signInAtMockProvider("alice");
    wait.until(ExpectedConditions.urlToBe(spa));
    assertThat(waitForText(wait, "user", "Signed in as")).as(tomcat.logTail()).contains("alice");

    // Its API call: a POST with X-CSRF, forwarded with the access token.
    browser.findElement(By.id("call")).click();
    assertThat(waitForText(wait, "status", "API answered")).isEqualTo("API answered 200");
    String echo = browser.findElement(By.id("result")).getText();
    assertThat(echo)
        .contains("\"method\":\"POST\"")
        .contains("\"path\":\"/anything/spa\"")
        .contains("\"x-csrf\":[\"1\"]")
        .contains("Bearer ey");

    // A form on another origin posts to the same API; the browser sends the session cookie along
    // (same site, so SameSite=Lax lets it through), but not the header.
    int reached = upstream.requests();
    browser.get("http://127.0.0.1:" + otherOrigin.getAddress().getPort() + "/");
    wait.until(ExpectedConditions.urlContains("/app/oidc-route/anything/spa"));
    String refused = browser.findElement(By.tagName("body")).getText();
    assertThat(refused)
        .as(tomcat.logTail())
        .contains("access_denied")
        .contains("This request needs the X-CSRF header");
    assertThat(upstream.requests()).isEqualTo(reached);

    // The session ends (logged out in another tab); the page's next call gets the JSON 401 and
    // sends the person to sign in, then back to the page.
    browser.get(spa);
    waitForText(wait, "user", "Signed in as");
    ((JavascriptExecutor) browser)
        .executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('../logout', {credentials: 'same-origin', redirect: 'manual'})"
                + ".then(() => done(true), () => done(false));");
    browser.findElement(By.id("call")).click();
    chromium.signInAtMockProvider("alice");
    wait.until(ExpectedConditions.urlToBe(spa));
    assertThat(waitForText(wait, "user", "Signed in as")).contains("alice");
  }
}
