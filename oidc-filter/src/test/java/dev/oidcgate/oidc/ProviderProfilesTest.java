package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.CognitoWorkshopTest.query;
import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.ProviderStandIn;
import dev.oidcgate.oidc.testsupport.ProviderStandIn.Kind;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each provider profile against a stand-in shaped like that provider, configured with the issuer,
 * the client and at most the settings no profile can know (an API's audience, a custom claim's
 * name). The stand-ins run on 127.0.0.1, so the profile is detected from the discovery document
 * (or, for Keycloak, from the issuer's {@code /realms/} path); Google's only mark is its issuer
 * host, so its test names the provider.
 */
@Timeout(60)
@ExtendWith(FilterServerExtension.class)
class ProviderProfilesTest {

  private ProviderStandIn idp;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> start(Kind kind, String... settings) throws Exception {
    idp = apps.closeAfter(new ProviderStandIn(kind));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", ProviderStandIn.CLIENT_ID);
    p.put("clientSecret", ProviderStandIn.CLIENT_SECRET);
    for (int i = 0; i < settings.length; i += 2) {
      p.put(settings[i], settings[i + 1]);
    }
    app = apps.start(p);
    return p;
  }

  private HttpResponse<String> bearer(String path, String token) throws Exception {
    return app.get(path, "Authorization", "Bearer " + token);
  }

  @Test
  void entraScopesAreReadFromScpAndAppRolesFromRoles() throws Exception {
    start(Kind.ENTRA, "scopesRequired", "access_as_user");

    HttpResponse<String> ok = bearer("/r?role=Task.Admin", idp.accessToken("alice", Map.of()));
    HttpResponse<String> noScope =
        bearer("/r", idp.accessToken("alice", Map.of("scp", "User.Read")));

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(seen(ok).get("inRole")).isEqualTo(true);
    assertThat(noScope.statusCode()).isEqualTo(403);

    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = browser.navigate(app.uri("/page?role=Task.Admin"));
    assertThat(seen(page).get("inRole")).isEqualTo(true);
    URI logout = location(browser.get(app.uri("/logout")));
    assertThat(logout.getPath()).isEqualTo("/" + ProviderStandIn.TENANT + "/oauth2/v2.0/logout");
    assertThat(query(logout)).containsKey("post_logout_redirect_uri");
  }

  @Test
  void keycloakRealmAndClientRolesAreBothRoles() throws Exception {
    start(Kind.KEYCLOAK);

    HttpResponse<String> realmRole =
        bearer("/r?role=realm-user", idp.accessToken("alice", Map.of()));
    HttpResponse<String> clientRole =
        bearer("/r?role=client-admin", idp.accessToken("alice", Map.of()));
    HttpResponse<String> otherClientsRole =
        bearer("/r?role=manage-account", idp.accessToken("alice", Map.of()));

    assertThat(seen(realmRole).get("inRole")).isEqualTo(true);
    assertThat(seen(clientRole).get("inRole")).isEqualTo(true);
    assertThat(seen(otherClientsRole).get("inRole")).isEqualTo(false);

    TestBrowser browser = new TestBrowser();
    assertThat(seen(browser.navigate(app.uri("/page?role=client-admin"))).get("inRole"))
        .isEqualTo(true);
    browser.navigate(app.uri("/logout"));
    assertThat(idp.logoutRequests).hasSize(1);
    assertThat(idp.revoked).isNotEmpty();
  }

  @Test
  void oktaCustomServerScopesAreTheScpArrayAndGroupsAreRoles() throws Exception {
    start(Kind.OKTA, "audience", "api://default", "scopesRequired", "profile");

    HttpResponse<String> ok = bearer("/r?role=Admins", idp.accessToken("alice", Map.of()));
    HttpResponse<String> noScope =
        bearer("/r", idp.accessToken("alice", Map.of("scp", List.of("openid"))));

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(seen(ok).get("inRole")).isEqualTo(true);
    assertThat(noScope.statusCode()).isEqualTo(403);
  }

  @Test
  void auth0GetsTheApiAudienceAtLoginAndLogsOutAtV2LogoutWithReturnTo() throws Exception {
    start(
        Kind.AUTH0,
        "audience",
        "https://api.example.com",
        "rolesClaim",
        "https://example.com/roles");
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> page = browser.navigate(app.uri("/page?role=editor"));

    assertThat(idp.authorizationRequests.get(0))
        .containsEntry("audience", "https://api.example.com");
    assertThat(seen(page).get("inRole")).isEqualTo(true);
    assertThat(((Map<?, ?>) seen(page).get("headers")).get("authorization").toString())
        .contains("Bearer ey"); // a JWT for the API, not Auth0's opaque default
    URI logout = location(browser.get(app.uri("/logout")));
    assertThat(logout.getPath()).isEqualTo("/v2/logout");
    assertThat(query(logout))
        .containsEntry("client_id", ProviderStandIn.CLIENT_ID)
        .containsEntry("returnTo", app.uri("/").toString());
    assertThat(bearer("/r", idp.accessToken("bob", Map.of())).statusCode()).isEqualTo(200);
  }

  @Test
  void googleAsksForARefreshTokenAcceptsVerifiedEmailsOnlyAndNoBearerTokens() throws Exception {
    start(Kind.GOOGLE, "provider", "google");
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> page = browser.navigate(app.uri("/page"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(idp.authorizationRequests.get(0))
        .containsEntry("access_type", "offline")
        .containsEntry("prompt", "consent");
    browser.navigate(app.uri("/logout"));
    assertThat(idp.revoked).as("the refresh token and the access token").hasSize(2);

    idp.user = "unverified";
    HttpResponse<String> unverified = new TestBrowser().navigate(app.uri("/page"));
    assertThat(unverified.statusCode()).isEqualTo(403);

    HttpResponse<String> withBearer =
        app.get("/page", "Authorization", "Bearer ya29.opaque", "Accept", "application/json");
    assertThat(withBearer.statusCode()).isEqualTo(401);
  }

  @Test
  void anExplicitSettingOverridesTheProfilesDefault() throws Exception {
    start(Kind.KEYCLOAK, "rolesClaim", "realm_access.roles");

    HttpResponse<String> clientRole =
        bearer("/r?role=client-admin", idp.accessToken("alice", Map.of()));

    assertThat(seen(clientRole).get("inRole")).isEqualTo(false);
  }

  @Test
  void providerGenericSwitchesTheQuirksOff() throws Exception {
    start(Kind.COGNITO, "provider", "generic");

    HttpResponse<String> r = bearer("/r", idp.accessToken("alice", Map.of()));

    assertThat(r.statusCode()).as("a Cognito access token has no aud").isEqualTo(401);
  }
}
