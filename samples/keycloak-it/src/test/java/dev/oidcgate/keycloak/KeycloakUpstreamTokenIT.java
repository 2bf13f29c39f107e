package dev.oidcgate.keycloak;

import static dev.oidcgate.keycloak.KeycloakSignIn.signIn;
import static dev.oidcgate.keycloak.KeycloakSignIn.tokenClaims;
import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.testsupport.FilterServer;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The token each upstream gets, against the real Keycloak 26 as docs/providers/keycloak.md sets it
 * up: a browser signs in, then {@code /orders/*} ({@code upstream_token=exchange}) gets the
 * caller's token exchanged by Keycloak's standard token exchange for the {@code orders-api}
 * audience, {@code /service/*} ({@code upstream_token=client}) gets the app's own
 * client-credentials token, {@code /quiet/*} ({@code upstream_token=none}) gets no {@code
 * Authorization}, and every other path the caller's own token.
 */
class KeycloakUpstreamTokenIT {

  private static final String AUDIENCE = "orders-api";
  private static final String AUDIENCE_SCOPE = "orders-api-audience";

  private static KeycloakServer keycloak;
  private static FilterServer app;

  @BeforeAll
  @Timeout(300)
  static void keycloakAllowsTheExchange() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    RealmAdmin admin = new RealmAdmin(keycloak);
    // Clients -> Create client: the upstream, a client with no flows of its own.
    HttpResponse<String> upstream =
        admin.call(
            "POST",
            "/clients",
            "{\"clientId\":\""
                + AUDIENCE
                + "\",\"protocol\":\"openid-connect\",\"publicClient\":false,"
                + "\"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":false}");
    assertThat(upstream.statusCode()).as(upstream.body()).isEqualTo(201);
    // Client scopes -> Create client scope, with an Audience mapper naming the upstream ...
    HttpResponse<String> scope =
        admin.call(
            "POST",
            "/client-scopes",
            "{\"name\":\""
                + AUDIENCE_SCOPE
                + "\",\"protocol\":\"openid-connect\",\"attributes\":"
                + "{\"include.in.token.scope\":\"true\",\"display.on.consent.screen\":\"false\"},"
                + "\"protocolMappers\":[{\"name\":\"orders-api audience\","
                + "\"protocol\":\"openid-connect\",\"protocolMapper\":\"oidc-audience-mapper\","
                + "\"config\":{\"included.client.audience\":\""
                + AUDIENCE
                + "\",\"access.token.claim\":\"true\",\"id.token.claim\":\"false\","
                + "\"introspection.token.claim\":\"true\"}}]}");
    assertThat(scope.statusCode()).as(scope.body()).isEqualTo(201);
    String scopeId =
        JSONArrayUtils.parse(admin.call("GET", "/client-scopes", null).body()).stream()
            .map(RealmAdmin::map)
            .filter(s -> AUDIENCE_SCOPE.equals(s.get("name")))
            .map(s -> s.get("id").toString())
            .findFirst()
            .orElseThrow();
    // ... added to the app's client as Optional: a login's token does not carry the audience ...
    Map<String, Object> client = admin.client(KeycloakInteropIT.CLIENT_ID);
    HttpResponse<String> added =
        admin.call(
            "PUT", "/clients/" + client.get("id") + "/optional-client-scopes/" + scopeId, null);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(204);
    // ... and the app's client: Standard token exchange on, Service accounts roles on.
    client = admin.client(KeycloakInteropIT.CLIENT_ID);
    RealmAdmin.map(client.get("attributes")).put("standard.token.exchange.enabled", "true");
    client.put("serviceAccountsEnabled", true);
    HttpResponse<String> saved =
        admin.call("PUT", "/clients/" + client.get("id"), JSONObjectUtils.toJSONString(client));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(204);

    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", keycloak.issuer());
    p.put("clientId", KeycloakInteropIT.CLIENT_ID);
    p.put("clientSecret", KeycloakInteropIT.CLIENT_SECRET);
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put(
        "pathRules",
        "/orders/* upstream_token=exchange upstream_audience="
            + AUDIENCE
            + " upstream_scope="
            + AUDIENCE_SCOPE
            + "; /service/* upstream_token=client; /quiet/* upstream_token=none");
    app = new FilterServer(p);
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  @Timeout(90)
  void eachUpstreamGetsTheTokenItsPathChose() throws Exception {
    Browser browser = new Browser(keycloak.issuer());
    HttpResponse<String> orders = signIn(browser, app, "/orders/1", "alice");
    assertThat(orders.statusCode()).as(orders.body()).isEqualTo(200);
    HttpResponse<String> own = browser.get(app.uri("/profile"));
    HttpResponse<String> service = browser.get(app.uri("/service/1"));
    HttpResponse<String> quiet = browser.get(app.uri("/quiet/1"));

    Map<String, Object> caller = tokenClaims(own, "authorization");
    Map<String, Object> exchanged = tokenClaims(orders, "authorization");
    Map<String, Object> appsOwn = tokenClaims(service, "authorization");

    // the caller's own token is for this app, not for the upstream
    assertThat(audiences(caller)).contains(KeycloakInteropIT.CLIENT_ID).doesNotContain(AUDIENCE);
    // the exchanged one is for the upstream alone, and still alice's
    assertThat(audiences(exchanged)).containsExactly(AUDIENCE);
    assertThat(exchanged.get("sub")).isEqualTo(caller.get("sub"));
    assertThat(exchanged.get("azp")).isEqualTo(KeycloakInteropIT.CLIENT_ID);
    // the app's own token: the client's service account, not alice
    assertThat(service.statusCode()).isEqualTo(200);
    assertThat(appsOwn.get("azp")).isEqualTo(KeycloakInteropIT.CLIENT_ID);
    assertThat(appsOwn.get("sub")).isNotEqualTo(caller.get("sub"));
    assertThat(appsOwn.get("preferred_username"))
        .isEqualTo("service-account-" + KeycloakInteropIT.CLIENT_ID);
    // the request itself is still alice's
    assertThat(seen(service).get("principal")).isEqualTo(seen(own).get("principal"));
    // none: no Authorization at all
    assertThat(quiet.statusCode()).isEqualTo(200);
    assertThat(((Map<?, ?>) seen(quiet).get("headers")).containsKey("authorization")).isFalse();
  }

  private static List<Object> audiences(Map<String, Object> claims) {
    Object aud = claims.get("aud");
    return aud instanceof List ? List.copyOf((List<?>) aud) : List.of(aud);
  }
}
