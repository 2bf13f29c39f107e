package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.TestAuthServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The silent session check in headless Chromium on the sample WAR on Tomcat 11: {@code
 * /app/oidc-route/login?prompt=none&return=/app/} when the provider has no session for the person
 * comes back to the app's page with {@code oidc_error=login_required}. The provider is the
 * project's OP over HTTP ({@link TestAuthServer}), set to answer as an OP without a session does
 * ({@code OidcProviderSilentLoginIT} checks that answer against oidc-provider itself);
 * mock-oauth2-server, the other tests' provider, ignores {@code prompt}.
 */
class SilentLoginChromiumIT {

  private static TestAuthServer op;
  private static EchoUpstream upstream;
  private static TomcatProcess tomcat;
  private static Chromium chromium;
  private static WebDriver browser;

  @BeforeAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    Chromium.assumeInstalled();

    op = new TestAuthServer();
    upstream = new EchoUpstream();
    tomcat = TomcatProcess.forSampleWar("catalina-base-silent-login");
    Map<String, String> env = new HashMap<>();
    env.put("OIDC_ISSUER", op.issuer());
    env.put("OIDC_CLIENT_ID", TestAuthServer.CLIENT_ID);
    env.put("OIDC_CLIENT_SECRET", TestAuthServer.CLIENT_SECRET);
    env.put("OIDC_SESSION_SECRET", "silent-login-it-session-secret-0123456789abcdef");
    env.put("UPSTREAM_URL", upstream.url());
    tomcat.start(env);
    tomcat.awaitStatus("/app/api/get", 401, Duration.ofSeconds(60));

    chromium = Chromium.start();
    browser = chromium.driver();
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stop() throws Exception {
    Teardown.closeAll(chromium, tomcat, upstream, op);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void promptNoneWithoutASessionAtTheProviderComesBackWithTheErrorParameter() throws Exception {
    // The provider has no session for this person: it answers prompt=none with login_required.
    op.authorizeInstead =
        p ->
            p.get("redirect_uri")
                + "?error="
                + ("none".equals(p.get("prompt")) ? "login_required" : "access_denied")
                + "&state="
                + URLEncoder.encode(p.get("state"), StandardCharsets.UTF_8)
                + "&iss="
                + URLEncoder.encode(op.issuer(), StandardCharsets.UTF_8);
    browser.get(tomcat.url("/app/oidc-route/login?prompt=none&return=/app/").toString());

    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(ExpectedConditions.urlContains("oidc_error="));
    assertThat(browser.getCurrentUrl())
        .as(tomcat.logTail())
        .isEqualTo(tomcat.url("/app/?oidc_error=login_required").toString());
    assertThat(op.authorizationRequests)
        .singleElement()
        .satisfies(p -> assertThat(p).containsEntry("prompt", "none"));
    // The app's own page, still not signed in: its script can offer a real sign-in.
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            d -> {
              String cls = d.findElement(By.id("status")).getDomAttribute("class");
              return cls != null && !cls.isEmpty();
            });
    assertThat(browser.findElement(By.id("status")).getText()).startsWith("Not signed in.");
  }
}
