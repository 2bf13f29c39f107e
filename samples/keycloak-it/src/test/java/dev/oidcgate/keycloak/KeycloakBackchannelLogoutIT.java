package dev.oidcgate.keycloak;

import static dev.oidcgate.keycloak.KeycloakSignIn.signIn;
import static dev.oidcgate.keycloak.KeycloakSignIn.tokenClaims;
import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Back-channel logout with a real Keycloak, set up as docs/backchannel-logout.md says: the realm's
 * {@code backchannel-logout} client has front-channel logout off and "session required" on, and
 * this test registers the filter's default endpoint as its back-channel logout URL (through the
 * admin API, since the app's port is only known now). An administrator ending one Keycloak session
 * makes Keycloak POST a logout token to the app, which ends that session and no other.
 */
class KeycloakBackchannelLogoutIT {

  private static final String CLIENT_ID = "backchannel-logout";
  private static final String CLIENT_SECRET = "backchannel-logout-client-secret";

  private static KeycloakServer keycloak;
  private static RealmAdmin admin;
  private FilterServer app;

  @BeforeAll
  @Timeout(300)
  static void startKeycloak() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    admin = new RealmAdmin(keycloak);
  }

  @AfterEach
  void stopApp() throws Exception {
    if (app != null) {
      app.close();
      admin.setClientAttribute(CLIENT_ID, "backchannel.logout.url", ""); // no POSTs to a dead port
    }
  }

  @Test
  @Timeout(90)
  void anAdministratorEndingTheKeycloakSessionEndsTheAppsSessionOfItAndNoOther() throws Exception {
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
                "upstreamIdTokenHeader",
                "X-Id-Token"));
    admin.setClientAttribute(
        CLIENT_ID, "backchannel.logout.url", app.uri("/backchannel-logout").toString());

    Browser laptop = new Browser(keycloak.issuer());
    Browser phone = new Browser(keycloak.issuer());
    HttpResponse<String> onLaptop = signIn(laptop, app, "/resource", "alice");
    HttpResponse<String> onPhone = signIn(phone, app, "/resource", "alice");
    assertThat(onLaptop.statusCode()).isEqualTo(200);
    assertThat(onPhone.statusCode()).isEqualTo(200);
    assertThat(seen(onLaptop).get("principal")).isEqualTo("alice");
    assertThat(seen(onPhone).get("principal")).isEqualTo("alice");
    Map<String, Object> laptopId = tokenClaims(onLaptop, "x-id-token");
    assertThat(laptopId.get("sub").toString())
        .as("Keycloak's sub is the user's id, a UUID")
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    String laptopSession = laptopId.get("sid").toString();
    assertThat(tokenClaims(onPhone, "x-id-token").get("sid"))
        .as("two browsers, two Keycloak sessions")
        .isNotEqualTo(laptopSession);

    // Sessions -> Sign out in Keycloak's admin console: Keycloak posts the logout token before it
    // answers.
    admin.endSession(laptopSession);

    HttpResponse<String> laptopAfter = laptop.get(app.uri("/resource"));
    assertThat(laptopAfter.statusCode())
        .as("the laptop's session ended at the app: a navigation logs in again")
        .isEqualTo(302);
    assertThat(location(laptopAfter).toString())
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");

    HttpResponse<String> phoneAfter = phone.get(app.uri("/resource"));
    assertThat(phoneAfter.statusCode())
        .as("the phone's session, another sid, goes on")
        .isEqualTo(200);
    assertThat(seen(phoneAfter).get("principal")).isEqualTo("alice");
  }
}
