package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigBuilder;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.MutableClock;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What scripts and single-page apps get from the filter: the session info path, the JSON 401 with
 * the login URL (readable through CORS by configured origins only), the login path and the
 * keep-alive; a browser stand-in, the filter in Jetty, an OP over HTTP.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class ScriptsAndSessionInfoTest {

  private static final String SPA = "https://spa.example.com";
  private static final String[] SCRIPT = {
    "Accept", "application/json", "Sec-Fetch-Mode", "cors", "Sec-Fetch-Site", "same-origin"
  };

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("corsOrigins", SPA);
    return p;
  }

  private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return JSONObjectUtils.parse(r.body());
  }

  private static String[] with(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void sessionInfoTellsSignedOutOrWhoIsSignedInAndUntilWhenButNeverAToken() throws Exception {
    app = apps.start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> before = browser.get(app.uri("/session"), SCRIPT);
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(json(before))
        .containsEntry("authenticated", false)
        .containsEntry("login_url", app.uri("/login").toString());

    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    HttpResponse<String> after = browser.get(app.uri("/session"), SCRIPT);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.headers().firstValue("Cache-Control")).hasValue("no-store");
    Map<String, Object> info = json(after);
    assertThat(info)
        .containsEntry("authenticated", true)
        .containsEntry("sub", "alice")
        .containsEntry("iss", op.issuer())
        .containsKeys("expires_at", "auth_time", "idle_timeout");
    long expiresAt = ((Number) info.get("expires_at")).longValue();
    assertThat(expiresAt)
        .isBetween(
            Instant.now().plus(Duration.ofMinutes(29)).getEpochSecond(),
            Instant.now().plus(Duration.ofMinutes(31)).getEpochSecond());
    assertThat(after.body()).doesNotContain("eyJ").doesNotContainIgnoringCase("token");
  }

  @Test
  void aScriptWithoutSessionGetsJson401WithTheLoginUrlWhileAPageLoadIsRedirected()
      throws Exception {
    app = apps.start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> script = browser.get(app.uri("/resource"), SCRIPT);
    assertThat(script.statusCode()).isEqualTo(401);
    assertThat(script.headers().firstValue("Location")).isEmpty();
    assertThat(script.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(json(script))
        .containsEntry("error", "unauthorized")
        .containsEntry("login_url", app.uri("/login").toString());

    HttpResponse<String> page = browser.get(app.uri("/resource"));
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(TestBrowser.location(page).toString()).startsWith(op.issuer() + "/authorize");
  }

  @Test
  void theJson401IsReadableThroughCorsByAConfiguredOriginOnly() throws Exception {
    app = apps.start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> allowed = browser.get(app.uri("/resource"), with(SCRIPT, "Origin", SPA));
    assertThat(allowed.statusCode()).isEqualTo(401);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SPA);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("WWW-Authenticate");

    HttpResponse<String> other =
        browser.get(app.uri("/resource"), with(SCRIPT, "Origin", "https://evil.example"));
    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(other.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
  }

  @Test
  void theLoginPathLogsInAndComesBackToASameOriginReturnPathOnly() throws Exception {
    app = apps.start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> start = browser.get(app.uri("/login?return=/app/page%3Fx%3D1"));
    assertThat(start.statusCode()).isEqualTo(302);
    HttpResponse<String> back =
        browser.get(TestBrowser.location(browser.get(TestBrowser.location(start))));
    assertThat(TestBrowser.location(back)).isEqualTo(app.uri("/page?x=1"));

    TestBrowser other = new TestBrowser();
    HttpResponse<String> evil = other.get(app.uri("/login?return=//evil.example/x"));
    HttpResponse<String> evilBack =
        other.get(TestBrowser.location(other.get(TestBrowser.location(evil))));
    assertThat(TestBrowser.location(evilBack)).isEqualTo(app.uri("/"));
  }

  @Test
  void aPostToSessionInfoKeepsTheSessionAliveAndAGetDoesNot() throws Exception {
    op.accessTokenLifetime = 7200; // no refresh falls due in the hour this test spans
    MutableClock clock = new MutableClock(Instant.now());
    OidcConfigBuilder config = OidcConfig.builder().clock(clock);
    params().forEach(config::set);
    app = apps.withFilter(new OidcFilter(config.build()));

    TestBrowser kept = new TestBrowser();
    TestBrowser idle = new TestBrowser();
    assertThat(kept.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    assertThat(idle.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(20));
    assertThat(post(kept, "/session").statusCode()).isEqualTo(200);
    assertThat(json(idle.get(app.uri("/session"), SCRIPT))).containsEntry("authenticated", true);
    clock.advance(Duration.ofMinutes(20)); // 40 minutes after login, 20 after the keep-alive

    assertThat(json(kept.get(app.uri("/session"), SCRIPT))).containsEntry("authenticated", true);
    assertThat(kept.get(app.uri("/resource"), SCRIPT).statusCode()).isEqualTo(200);
    assertThat(json(idle.get(app.uri("/session"), SCRIPT))).containsEntry("authenticated", false);
    assertThat(idle.get(app.uri("/resource"), SCRIPT).statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> post(TestBrowser browser, String path) throws Exception {
    return browser.postForm(app.uri(path), "", SCRIPT);
  }
}
