package dev.oidcgate.keycloak;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.docs.GuideSnippets;
import dev.oidcgate.docs.GuideWar;
import dev.oidcgate.samples.tomcat.TomcatProcess;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/providers/keycloak.md, followed to the letter: its {@code web.xml} as written, with the
 * dependencies and the servlet of docs/getting-started.md ({@link GuideWar}), deployed as {@code
 * /myapp} on a real Tomcat 11 with the environment variables the page exports, against the real
 * Keycloak of this module (realm {@code oidc-gate}, set up as the page's table says). A browser
 * signs in through Keycloak's login form; a token from the page's password-grant command is
 * accepted; logout lands on the public page.
 */
class KeycloakGuideOnTomcatIT {

  private static final String CONTEXT = "myapp";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static KeycloakServer keycloak;
  private static TomcatProcess tomcat;

  @BeforeAll
  @Timeout(value = 360, unit = TimeUnit.SECONDS)
  static void deployTheGuidesApp() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    Path work = Path.of(required("work.dir"));
    Path war =
        GuideWar.build(
            work,
            "keycloak-guide",
            GuideSnippets.of("docs/providers/keycloak.md").block("web.xml"),
            GuideSnippets.of("docs/getting-started.md").block("servlet"),
            Path.of(required("guide.war.lib")));
    tomcat =
        TomcatProcess.prepare(
            Path.of(required("tomcat.home")), work.resolve("catalina-base"), war, CONTEXT);
    tomcat.start(
        Map.of(
            "OIDC_ISSUER",
            keycloak.issuer(),
            "OIDC_CLIENT_ID",
            KeycloakInteropIT.CLIENT_ID,
            "OIDC_CLIENT_SECRET",
            KeycloakInteropIT.CLIENT_SECRET,
            "OIDC_SESSION_SECRET",
            "keycloak-guide-session-secret-0123456789abcdef"));
    tomcat.awaitStatus("/myapp/app/hello", 401, Duration.ofSeconds(90));
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stopTomcat() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aliceSignsInAtKeycloakAndTheGuidesServletGreetsHerByUserName() throws Exception {
    SignIn signIn = new SignIn();

    HttpResponse<String> hello = signIn.as("alice");

    assertThat(hello.statusCode()).as(logs(hello)).isEqualTo(200);
    assertThat(hello.body())
        .as("principalClaim=preferred_username, and the claims of Keycloak's tokens")
        .startsWith("Hello alice")
        .contains("Email: alice@example.com");

    // Logout: Keycloak's end-session endpoint, then the public page of the guide's web.xml.
    HttpResponse<String> logout = signIn.app.get(app("/app/logout"));
    assertThat(logout.statusCode()).as(logs(logout)).isEqualTo(302);
    URI endSession = location(logout);
    assertThat(endSession.toString())
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?");
    HttpResponse<String> atKeycloak = signIn.keycloak.get(endSession);
    assertThat(atKeycloak.statusCode()).as(atKeycloak.body()).isEqualTo(302);
    assertThat(location(atKeycloak)).isEqualTo(app("/public/index.html"));
    HttpResponse<String> landed = signIn.app.get(location(atKeycloak));
    assertThat(landed.statusCode()).isEqualTo(200);
    assertThat(landed.body()).contains(GuideWar.PUBLIC_PAGE_TEXT);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aTokenFromThePagesPasswordGrantCommandIsAcceptedAsBearer() throws Exception {
    String accessToken =
        onPath("bash") && onPath("curl") && onPath("jq")
            ? runThePagesPasswordGrantCommand()
            : passwordGrantAsThePageDoes();
    assertThat(accessToken).startsWith("ey");

    HttpResponse<String> hello =
        HTTP.send(
            HttpRequest.newBuilder(app("/app/hello"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + accessToken)
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(hello.statusCode()).as(logs(hello)).isEqualTo(200);
    assertThat(hello.body()).startsWith("Hello alice");
  }

  /**
   * The page's {@code password-grant} block as written, run by bash with the variables the page
   * exports; returns what it left in {@code $ACCESS_TOKEN}.
   */
  private static String runThePagesPasswordGrantCommand() throws Exception {
    String command = GuideSnippets.of("docs/providers/keycloak.md").block("password-grant");
    ProcessBuilder bash =
        new ProcessBuilder("bash", "-c", command + "\nprintf '%s' \"$ACCESS_TOKEN\"")
            .redirectErrorStream(true);
    bash.environment().put("OIDC_ISSUER", keycloak.issuer());
    bash.environment().put("OIDC_CLIENT_ID", KeycloakInteropIT.CLIENT_ID);
    bash.environment().put("OIDC_CLIENT_SECRET", KeycloakInteropIT.CLIENT_SECRET);
    Process process = bash.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out.trim();
  }

  /** What the page's command sends (client_secret_basic, grant_type=password), from Java. */
  private static String passwordGrantAsThePageDoes() throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (KeycloakInteropIT.CLIENT_ID + ":" + KeycloakInteropIT.CLIENT_SECRET)
                    .getBytes(UTF_8));
    HttpResponse<String> token =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&username=alice&password=alice-password&scope=openid"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    return (String) JSONObjectUtils.parse(token.body()).get("access_token");
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(dir -> java.nio.file.Files.isExecutable(Path.of(dir, program)));
  }

  /**
   * A browser: the app's cookies in tomcat-it's RFC 6265 jar (Tomcat keeps the quotes that {@code
   * CookieManager}'s RFC 2965 form adds), Keycloak's in this module's loopback jar.
   */
  private static final class SignIn {
    final dev.oidcgate.samples.tomcat.Browser app = new dev.oidcgate.samples.tomcat.Browser();
    final Browser keycloak = new Browser(KeycloakGuideOnTomcatIT.keycloak.issuer());

    /** Opens the guide's servlet, signs in at Keycloak's form, and returns the servlet's answer. */
    HttpResponse<String> as(String user) throws Exception {
      HttpResponse<String> start = awaitLoginRedirect();
      URI authorize = location(start);
      assertThat(authorize.toString())
          .startsWith(KeycloakGuideOnTomcatIT.keycloak.issuer() + "/protocol/openid-connect/auth?")
          .satisfies(
              uri ->
                  assertThat(URLDecoder.decode(uri.substring(uri.indexOf('?')), UTF_8))
                      .contains("redirect_uri=" + app("/app/callback")));
      HttpResponse<String> loginPage = keycloak.get(authorize);
      assertThat(loginPage.statusCode()).as("Keycloak's login page").isEqualTo(200);
      HttpResponse<String> afterLogin =
          keycloak.postForm(
              KeycloakInteropIT.loginFormAction(loginPage),
              "username="
                  + user
                  + "&password="
                  + URLEncoder.encode(KeycloakInteropIT.PASSWORDS.get(user), UTF_8)
                  + "&credentialId=");
      assertThat(afterLogin.statusCode()).as(afterLogin.body()).isEqualTo(302);
      HttpResponse<String> back = app.get(location(afterLogin));
      assertThat(back.statusCode()).as(logs(back)).isEqualTo(302);
      assertThat(location(back)).isEqualTo(app("/app/hello"));
      return app.get(location(back));
    }

    /** The filter reads Keycloak's metadata in the background: wait for the first redirect. */
    private HttpResponse<String> awaitLoginRedirect() throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      HttpResponse<String> r = app.get(app("/app/hello"));
      while (r.statusCode() != 302 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        r = app.get(app("/app/hello"));
      }
      assertThat(r.statusCode()).as(logs(r)).isEqualTo(302);
      return r;
    }
  }

  private static URI location(HttpResponse<?> r) {
    return dev.oidcgate.samples.tomcat.Browser.location(r);
  }

  private static URI app(String path) {
    return tomcat.url("/" + CONTEXT + path);
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
