package dev.oidcgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.samples.tomcat.Chromium;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Front-channel logout with a real Keycloak in a real Chromium, set up as
 * docs/backchannel-logout.md says: a client with "Front channel logout" on and the app's {@code
 * frontchannelLogoutPath} as its front-channel logout URL. A person signs in to the app, then signs
 * out at Keycloak's own logout page, which loads that URL in an iframe: the app has no session
 * left. A request naming another issuer is refused.
 */
class KeycloakFrontchannelLogoutIT {

  private static final String CLIENT_ID = "frontchannel-logout";
  private static final String CLIENT_SECRET = "frontchannel-logout-client-secret";

  private static KeycloakServer keycloak;
  private static RealmAdmin admin;
  private static FilterServer app;
  private static Chromium chromium;
  private static WebDriver browser;

  @BeforeAll
  @Timeout(300)
  static void start() throws Exception {
    Chromium.assumeInstalled();

    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    admin = new RealmAdmin(keycloak);
    app =
        new FilterServer(
            Map.of(
                "issuer",
                keycloak.issuer(),
                "clientId",
                CLIENT_ID,
                "clientSecret",
                CLIENT_SECRET,
                "sessionSecret",
                "a-session-secret-of-at-least-32-characters",
                "principalClaim",
                "preferred_username",
                "frontchannelLogoutPath",
                "/frontchannel-logout"));
    registerClient(app.uri("/frontchannel-logout").toString());

    chromium = Chromium.start();
    browser = chromium.driver();
  }

  /**
   * Clients → Create client, as an administrator would: front-channel logout on, with "session
   * required" (Keycloak then sends {@code iss} and {@code sid}), and the app's URL.
   */
  private static void registerClient(String frontchannelUrl) throws Exception {
    Map<String, Object> client =
        Map.of(
            "clientId",
            CLIENT_ID,
            "protocol",
            "openid-connect",
            "publicClient",
            false,
            "secret",
            CLIENT_SECRET,
            "standardFlowEnabled",
            true,
            "redirectUris",
            List.of("http://127.0.0.1:*"),
            "frontchannelLogout",
            true,
            "attributes",
            Map.of(
                "pkce.code.challenge.method", "S256",
                "post.logout.redirect.uris", "+",
                "frontchannel.logout.url", frontchannelUrl,
                "frontchannel.logout.session.required", "true",
                // The realm's 15 s access tokens would make the app refresh within the test, and a
                // refresh after the logout fails and ends the session too; this test is about the
                // iframe alone, so this client's tokens live 10 minutes.
                "access.token.lifespan", "600"),
            "protocolMappers",
            List.of(
                Map.of(
                    "name", "frontchannel-logout audience",
                    "protocol", "openid-connect",
                    "protocolMapper", "oidc-audience-mapper",
                    "config",
                        Map.of(
                            "included.client.audience", CLIENT_ID,
                            "id.token.claim", "false",
                            "access.token.claim", "true"))));
    HttpResponse<String> created =
        admin.call("POST", "/clients", JSONObjectUtils.toJSONString(client));
    if (created.statusCode() == 409) { // left by an earlier run against the same Keycloak
      admin.setClientAttribute(CLIENT_ID, "frontchannel.logout.url", frontchannelUrl);
      admin.setClientAttribute(CLIENT_ID, "access.token.lifespan", "600");
    } else {
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
  }

  @AfterAll
  @Timeout(60)
  static void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (app != null) {
      app.close();
      admin.setClientAttribute(
          CLIENT_ID, "frontchannel.logout.url", ""); // no iframes to a dead port
    }
  }

  @Test
  @Timeout(120)
  void signingOutAtKeycloaksLogoutPageEndsTheAppsSessionThroughItsIframe() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    String resource = app.uri("/resource").toString();

    browser.get(resource);
    chromium.signInAtKeycloak("alice", KeycloakInteropIT.PASSWORDS.get("alice"));
    wait.until(ExpectedConditions.urlToBe(resource));
    assertThat(browser.findElement(By.tagName("body")).getText())
        .contains("\"principal\":\"alice\"");

    // Keycloak's own logout page (as "Sign out" in its account console would end there): it asks
    // to confirm, then renders the front-channel logout iframes of the session's clients.
    browser.get(keycloak.issuer() + "/protocol/openid-connect/logout");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kc-logout")));
    browser.findElement(By.id("kc-logout")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("iframe")));
    String frame = browser.findElement(By.tagName("iframe")).getDomAttribute("src");
    assertThat(frame)
        .startsWith(app.uri("/frontchannel-logout").toString())
        .contains("iss=" + URLEncoder.encode(keycloak.issuer(), StandardCharsets.UTF_8))
        .contains("sid=");

    // The app's session has ended: a page load goes to Keycloak's login again, not to the app.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    boolean signedOut = false;
    while (!signedOut && System.nanoTime() < deadline) {
      browser.get(resource);
      signedOut = browser.getCurrentUrl().startsWith(keycloak.issuer());
      if (!signedOut) {
        Thread.sleep(300);
      }
    }
    assertThat(browser.getCurrentUrl())
        .as("after the logout at Keycloak, the app asks for a login")
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth");
  }

  @Test
  @Timeout(30)
  void aRequestNamingAnotherIssuerIsRefused() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        app.uri(
                            "/frontchannel-logout?iss="
                                + URLEncoder.encode(
                                    "http://127.0.0.1:1/realms/other", StandardCharsets.UTF_8)
                                + "&sid=x"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("iss is not an issuer of this application");
  }
}
