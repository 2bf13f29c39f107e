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
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code __Host-} cookie names (issue 9, item 8). A sibling subdomain ({@code evil.example.com}
 * next to {@code app.example.com}) can set a cookie for the whole parent domain, but never one
 * named {@code __Host-...}: browsers take those only with {@code Secure}, {@code Path=/} and no
 * {@code Domain}. Reading only such names where they are valid stops login CSRF by planted cookies.
 * The app runs over HTTPS here, as it does in production.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class HostPrefixCookieTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  /** Valid for {@code __Host-}: the cookie path is {@code /} (the default for a root context). */
  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("sessionCookiePath", "/");
    return p;
  }

  /** A cookie value of the attacker's own, under whichever name the filter gave it. */
  private static String valueOf(TestBrowser browser, String plainName) {
    String prefixed = browser.cookie("__Host-" + plainName);
    return prefixed != null ? prefixed : browser.cookie(plainName);
  }

  @Test
  void aSessionCookiePlantedFromASiblingSubdomainDoesNotSignTheVictimIn() throws Exception {
    app = apps.https(params());
    op.nextUser = "mallory";
    TestBrowser attacker = new TestBrowser();
    assertThat(seen(attacker.navigate(app.uri("/resource"))).get("principal")).isEqualTo("mallory");
    TestBrowser victim = new TestBrowser();
    victim.plantCookie(app.uri("/"), "oidc_session", valueOf(attacker, "oidc_session"), "/");
    HttpResponse<String> r = victim.get(app.uri("/resource"));
    assertThat(r.statusCode()).as("the victim is asked to log in, not made mallory").isEqualTo(302);
    assertThat(location(r).toString()).startsWith(op.issuer() + "/authorize");
  }

  @Test
  void aLoginCookiePlantedFromASiblingSubdomainCannotFinishTheAttackersLogin() throws Exception {
    app = apps.https(params());
    op.nextUser = "mallory";
    TestBrowser attacker = new TestBrowser();
    URI authorize = location(attacker.get(app.uri("/resource")));
    HttpCookie login =
        attacker.cookies().stream()
            .filter(c -> c.getName().replace("__Host-", "").startsWith("oidc_login_"))
            .findFirst()
            .orElseThrow();
    URI callback = location(attacker.get(authorize)); // mallory's code and state, not used by him
    TestBrowser victim = new TestBrowser();
    victim.plantCookie(app.uri("/"), login.getName().replace("__Host-", ""), login.getValue(), "/");
    HttpResponse<String> r = victim.get(callback);
    assertThat(r.statusCode()).as("the planted login is unknown here").isEqualTo(400);
    assertThat(r.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.contains("oidc_session=") && !c.contains("oidc_session=;"));
    assertThat(op.codeExchanges).hasValue(0);
  }

  @Test
  void overHttpsTheFiltersCookiesAreHostPrefixedSecureHostOnlyAndHiddenFromTheApp()
      throws Exception {
    app = apps.https(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> toIdp = browser.get(app.uri("/resource"));
    assertThat(toIdp.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("__Host-oidc_login_"))
        .allSatisfy(
            c ->
                assertThat(c)
                    .startsWith("__Host-")
                    .contains("; Path=/;")
                    .contains("; Secure")
                    .doesNotContain("Domain="));
    HttpResponse<String> back = browser.get(location(browser.get(location(toIdp))));
    assertThat(back.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("__Host-oidc_session=")
                    .contains("; Path=/;")
                    .contains("; Secure")
                    .doesNotContain("Domain="));
    HttpResponse<String> page = browser.get(location(back));
    assertThat(seen(page).get("principal")).isEqualTo("alice");
    List<?> cookies = (List<?>) ((Map<?, ?>) seen(page).get("headers")).get("cookie");
    assertThat(cookies == null ? "" : cookies.toString()).doesNotContain("oidc_");

    HttpResponse<String> logout = browser.get(app.uri("/logout"));
    assertThat(logout.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("__Host-oidc_session=;"));
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(302);
  }

  @Test
  void wherePrefixedNamesWouldBeInvalidOrAreTurnedOffThePlainNamesAreUsed() throws Exception {
    Map<String, String> contextPath = params();
    contextPath.remove("sessionCookiePath"); // Path=/app: a __Host- cookie needs Path=/
    Map<String, String> domain = params();
    domain.put("sessionCookieDomain", "127.0.0.1");
    Map<String, String> off = params();
    off.put("sessionCookieHostPrefix", "false");
    for (Map<String, String> p : List.of(contextPath, domain, off)) {
      app = apps.https(p);
      TestBrowser browser = new TestBrowser();
      assertThat(seen(browser.navigate(app.uri("/resource"))).get("principal")).isEqualTo("alice");
      assertThat(browser.cookie("oidc_session")).as(p.toString()).isNotNull();
      assertThat(browser.cookie("__Host-oidc_session")).isNull();
      app.close();
      app = null;
    }
    app = apps.start(params()); // plain HTTP: no Secure cookie, so no prefix
    TestBrowser browser = new TestBrowser();
    assertThat(seen(browser.navigate(app.uri("/resource"))).get("principal")).isEqualTo("alice");
    assertThat(browser.cookie("oidc_session")).isNotNull();
  }

  @Test
  void behindATlsProxyAnHttpsExternalUrlMakesTheCookiesSecureAndHostPrefixed() throws Exception {
    Map<String, String> p = params();
    p.put("externalUrl", "https://app.example.com");
    app = apps.start(p); // the container sees plain HTTP: TLS ended at the proxy
    assertThat(new TestBrowser().get(app.uri("/resource")).headers().allValues("Set-Cookie"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c)
                    .startsWith("__Host-oidc_login_")
                    .contains("; Path=/;")
                    .contains("; Secure"));
  }

  @Test
  void alwaysUsesThePrefixWithPathSlashEvenUnderAContextPath() throws Exception {
    Map<String, String> p = params();
    p.remove("sessionCookiePath");
    p.put("sessionCookieHostPrefix", "true");
    app = apps.https(p);
    TestBrowser browser = new TestBrowser();
    assertThat(seen(browser.navigate(app.uri("/resource"))).get("principal")).isEqualTo("alice");
    assertThat(browser.cookies())
        .filteredOn(c -> c.getName().equals("__Host-oidc_session"))
        .singleElement()
        .satisfies(c -> assertThat(c.getPath()).isEqualTo("/"));
  }
}
