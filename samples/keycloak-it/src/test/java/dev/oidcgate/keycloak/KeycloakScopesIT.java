package dev.oidcgate.keycloak;

import static dev.oidcgate.keycloak.KeycloakSignIn.signIn;
import static dev.oidcgate.keycloak.KeycloakSignIn.tokenClaims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONArrayUtils;
import dev.oidcgate.oidc.testsupport.FilterServer;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scopes end to end with a real Keycloak, as docs/providers/keycloak.md says: a client scope {@code
 * orders:read}, assigned to the client as Optional, is in the access token's {@code scope} only
 * when the login asked for it, so a browser session meets a {@code scope=orders:read} rule only
 * when the filter's {@code scopes} list it.
 */
class KeycloakScopesIT {

  private static final String SCOPE = "orders:read";

  private static KeycloakServer keycloak;
  private FilterServer app;

  @BeforeAll
  @Timeout(300)
  static void optionalClientScope() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    RealmAdmin admin = new RealmAdmin(keycloak);
    // Client scopes -> Create client scope (type None, "Include in token scope" on) ...
    HttpResponse<String> created =
        admin.call(
            "POST",
            "/client-scopes",
            "{\"name\":\""
                + SCOPE
                + "\",\"protocol\":\"openid-connect\",\"attributes\":"
                + "{\"include.in.token.scope\":\"true\",\"display.on.consent.screen\":\"false\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String scopeId =
        JSONArrayUtils.parse(admin.call("GET", "/client-scopes", null).body()).stream()
            .map(RealmAdmin::map)
            .filter(s -> SCOPE.equals(s.get("name")))
            .map(s -> s.get("id").toString())
            .findFirst()
            .orElseThrow();
    // ... then Clients -> the client -> Client scopes -> Add client scope -> Optional.
    String clientId = admin.client(KeycloakInteropIT.CLIENT_ID).get("id").toString();
    HttpResponse<String> added =
        admin.call("PUT", "/clients/" + clientId + "/optional-client-scopes/" + scopeId, null);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(204);
  }

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  private static Map<String, String> params(String scopes) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", keycloak.issuer());
    p.put("clientId", KeycloakInteropIT.CLIENT_ID);
    p.put("clientSecret", KeycloakInteropIT.CLIENT_SECRET);
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("pathRules", "/orders/* scope=" + SCOPE);
    if (scopes != null) {
      p.put("scopes", scopes);
    }
    return p;
  }

  @Test
  @Timeout(60)
  void anOptionalScopeAskedForAtLoginIsInTheSessionAndMeetsTheScopeRule() throws Exception {
    app = new FilterServer(params("openid profile email " + SCOPE));
    HttpResponse<String> page = signIn(new Browser(keycloak.issuer()), app, "/orders/1", "alice");

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(scopes(page)).contains(SCOPE, "openid", "profile", "email");
  }

  @Test
  @Timeout(60)
  void withoutItInScopesTheSessionLacksTheScopeAndTheRuleRefusesIt() throws Exception {
    app = new FilterServer(params(null)); // the default: openid profile email
    Browser browser = new Browser(keycloak.issuer());
    HttpResponse<String> page = signIn(browser, app, "/resource", "alice");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(scopes(page)).contains("openid", "profile", "email").doesNotContain(SCOPE);

    HttpResponse<String> orders = browser.get(app.uri("/orders/1"));
    assertThat(orders.statusCode()).as("signed in, but the session has no " + SCOPE).isEqualTo(403);
  }

  /** The {@code scope} of the access token the app got. */
  private static List<String> scopes(HttpResponse<String> page) throws Exception {
    return List.of(tokenClaims(page, "authorization").get("scope").toString().split(" "));
  }
}
