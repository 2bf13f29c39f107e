package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.ProviderStandIn;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kong workshop's configuration, and nothing else: the issuer as its {@code .well-known} URL,
 * the client id and secret, and the redirect URI equal to the protected URL, against a stand-in
 * with Amazon Cognito's discovery document and token shapes (from AWS's documentation: the access
 * token has {@code client_id}, {@code token_use: access} and {@code cognito:groups} and no {@code
 * aud}; the ID token has {@code aud} = the client id and {@code token_use: id}).
 */
@Timeout(60)
@ExtendWith(FilterServerExtension.class)
class CognitoWorkshopTest {

  private ProviderStandIn cognito;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    cognito = apps.closeAfter(new ProviderStandIn(ProviderStandIn.Kind.COGNITO));
    Map<String, String> kongConfig = new LinkedHashMap<>();
    kongConfig.put("issuer", cognito.discoveryUrl());
    kongConfig.put("clientId", ProviderStandIn.CLIENT_ID);
    kongConfig.put("clientSecret", ProviderStandIn.CLIENT_SECRET);
    // The workshop writes it absolute (https://<gateway>/oidc-route/get); the port is not known
    // before the server starts, so here it is the same URL as a path under the context.
    kongConfig.put("redirectUri", "/oidc-route/get");
    app = apps.withFilters(Map.of("/oidc-route/*", kongConfig));
  }

  @Test
  void aBrowserSignsInAtTheProtectedUrlWithCognitoGroupsAsRoles() throws Exception {
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> page = browser.navigate(app.uri("/oidc-route/get?role=admins"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.uri().getPath()).isEqualTo("/app/oidc-route/get");
    Map<String, Object> seen = seen(page);
    assertThat(seen.get("principal")).isEqualTo("alice");
    assertThat(seen.get("inRole")).isEqualTo(true);
    String forwarded = header(seen, "authorization");
    assertThat(forwarded).startsWith("Bearer ey");
  }

  @Test
  void aCognitoAccessTokenIsAcceptedAsBearerAndIdTokensAndOtherClientsTokensAreNot()
      throws Exception {
    String access = cognito.accessToken("bob", Map.of());
    String otherClient = cognito.accessToken("bob", Map.of("client_id", "another-client"));
    String notMarkedAccess = cognito.accessToken("bob", Map.of("token_use", "refresh"));

    HttpResponse<String> ok =
        app.get("/oidc-route/get?role=admins", "Authorization", "Bearer " + access);

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(seen(ok).get("principal")).isEqualTo("bob");
    assertThat(seen(ok).get("inRole")).isEqualTo(true);
    for (String refused : List.of(otherClient, notMarkedAccess)) {
      HttpResponse<String> r = app.get("/oidc-route/get", "Authorization", "Bearer " + refused);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("invalid_token");
    }
  }

  @Test
  void anIdTokenFromTheLoginIsRefusedAsBearer() throws Exception {
    TestBrowser browser = new TestBrowser();
    browser.navigate(app.uri("/oidc-route/get"));
    // The ID token is what a careless client would send; the filter knows it by token_use: id.
    String logout = location(browser.get(app.uri("/oidc-route/logout"))).toString();
    String idToken = query(URI.create(logout)).get("id_token_hint");

    HttpResponse<String> r = app.get("/oidc-route/get", "Authorization", "Bearer " + idToken);

    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void logoutGoesToCognitosLogoutOnTheHostedUiHostWithClientIdAndLogoutUri() throws Exception {
    TestBrowser browser = new TestBrowser();
    browser.navigate(app.uri("/oidc-route/get"));

    HttpResponse<String> logout = browser.get(app.uri("/oidc-route/logout"));

    assertThat(logout.statusCode()).isEqualTo(302);
    URI target = location(logout);
    assertThat(target.getPath()).isEqualTo("/logout");
    assertThat(target.getAuthority()).isEqualTo(URI.create(cognito.base()).getAuthority());
    assertThat(query(target))
        .containsEntry("client_id", ProviderStandIn.CLIENT_ID)
        .containsEntry("logout_uri", app.uri("/").toString())
        .doesNotContainKey("post_logout_redirect_uri");
    assertThat(browser.navigate(target).uri()).isEqualTo(app.uri("/"));
    assertThat(cognito.logoutRequests).hasSize(1);
    assertThat(cognito.revoked).isNotEmpty();
    HttpResponse<String> after = browser.get(app.uri("/oidc-route/get"));
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(location(after).getPath()).isEqualTo("/oauth2/authorize");
  }

  private static String header(Map<String, Object> seen, String name) {
    return (String) ((List<?>) ((Map<?, ?>) seen.get("headers")).get(name)).get(0);
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
