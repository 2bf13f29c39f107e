package dev.oidcgate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.samples.tomcat.Browser;
import dev.oidcgate.samples.tomcat.TomcatProcess;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/getting-started.md, followed to the letter: a WAR built from its {@code pom.xml}
 * dependencies, its {@code web.xml} and its servlet ({@link GuideWar}), deployed as {@code /myapp}
 * on a real Tomcat 11 with the environment variables the guide exports, against the test OpenID
 * provider. A browser signs in over real HTTP and sees the servlet greet the user; the public page
 * stays open; logout lands on it.
 */
class GettingStartedOnTomcatIT {

  private static final String CONTEXT = "myapp";

  private static TestAuthServer op;
  private static TomcatProcess tomcat;

  @BeforeAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  static void deployTheGuidesApp() throws Exception {
    GuideSnippets guide = GuideSnippets.of("docs/getting-started.md");
    Path work = Path.of(required("work.dir"));
    Path war =
        GuideWar.build(
            work,
            "getting-started",
            guide.block("web.xml"),
            guide.block("servlet"),
            Path.of(required("guide.war.lib")));
    op = new TestAuthServer();
    tomcat =
        TomcatProcess.prepare(
            Path.of(required("tomcat.home")), work.resolve("catalina-base"), war, CONTEXT);
    tomcat.start(
        Map.of(
            "OIDC_ISSUER",
            op.issuer(),
            "OIDC_CLIENT_ID",
            TestAuthServer.CLIENT_ID,
            "OIDC_CLIENT_SECRET",
            TestAuthServer.CLIENT_SECRET,
            "OIDC_SESSION_SECRET",
            "docs-it-session-secret-0123456789abcdef"));
    tomcat.awaitStatus("/myapp/app/hello", 401, Duration.ofSeconds(90));
    awaitLoginRedirect();
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stop() throws Exception {
    try {
      if (tomcat != null) {
        tomcat.stop();
      }
    } finally {
      if (op != null) {
        op.close();
      }
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aBrowserSignsInAtTheIdpAndTheGuidesServletGreetsTheUser() throws Exception {
    Browser browser = new Browser();

    HttpResponse<String> start = browser.get(app("/app/hello"));
    assertThat(start.statusCode()).as(logs(start)).isEqualTo(302);
    URI authorize = Browser.location(start);
    assertThat(authorize.toString()).startsWith(op.issuer() + "/authorize?");
    assertThat(query(authorize))
        .as("the redirect URI the guide tells the reader to register")
        .containsEntry("redirect_uri", app("/app/callback").toString());
    URI callback = Browser.location(browser.get(authorize));
    HttpResponse<String> back = browser.get(callback);
    assertThat(back.statusCode()).as(logs(back)).isEqualTo(302);
    assertThat(Browser.location(back)).isEqualTo(app("/app/hello"));

    HttpResponse<String> hello = browser.get(app("/app/hello"));

    assertThat(hello.statusCode()).as(logs(hello)).isEqualTo(200);
    assertThat(hello.body()).startsWith("Hello alice");
    assertThat(tomcat.logs())
        .contains("OIDC filter 'oidc' protects [/app/*]")
        .doesNotContain("sessionSecret is not set");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void thePublicPageOutsideTheFiltersPatternNeedsNoSignIn() throws Exception {
    HttpResponse<String> page = new Browser().get(app("/public/index.html"));

    assertThat(page.statusCode()).as(logs(page)).isEqualTo(200);
    assertThat(page.body()).contains(GuideWar.PUBLIC_PAGE_TEXT);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void logoutEndsAtTheIdpAndLandsOnThePublicPageNotOnA404() throws Exception {
    Browser browser = new Browser();
    assertThat(browser.navigate(app("/app/hello")).body()).startsWith("Hello alice");

    HttpResponse<String> logout = browser.get(app("/app/logout"));
    assertThat(logout.statusCode()).as(logs(logout)).isEqualTo(302);
    URI endSession = Browser.location(logout);
    assertThat(query(endSession))
        .containsEntry("post_logout_redirect_uri", app("/public/index.html").toString());
    HttpResponse<String> landed = browser.navigate(endSession);

    assertThat(landed.uri()).isEqualTo(app("/public/index.html"));
    assertThat(landed.statusCode()).isEqualTo(200);
    assertThat(landed.body()).contains(GuideWar.PUBLIC_PAGE_TEXT);
    assertThat(browser.get(app("/app/hello")).statusCode())
        .as("signed out: the next visit goes to the IdP again")
        .isEqualTo(302);
  }

  /** The filter reads the OP's metadata in the background: wait until a page load redirects. */
  private static void awaitLoginRedirect() throws Exception {
    Browser probe = new Browser();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline) {
      status = probe.get(app("/app/hello")).statusCode();
      if (status == 302) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "/app/hello never redirected to the OP (last " + status + ")\n" + tomcat.logTail());
  }

  private static URI app(String path) {
    return tomcat.url("/" + CONTEXT + path);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Supplier<String> logs(HttpResponse<String> r) {
    return () ->
        r.uri()
            + " -> "
            + r.statusCode()
            + " "
            + r.headers().map()
            + " "
            + r.body()
            + "\n"
            + tomcat.logTail();
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + property + " is not set; run through Maven (mvn verify)");
    }
    return value;
  }
}
