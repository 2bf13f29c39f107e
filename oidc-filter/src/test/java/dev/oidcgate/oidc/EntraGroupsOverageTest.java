package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.GraphStandIn;
import dev.oidcgate.oidc.testsupport.ProviderStandIn;
import dev.oidcgate.oidc.testsupport.ProviderStandIn.Kind;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Entra ID groups overage ({@code groupsOverage=graph}): a token that leaves {@code groups} out for
 * {@code _claim_names} (or {@code hasgroups}) gets the user's groups from Microsoft Graph (a
 * stand-in here), read with the app's own client-credentials token, for bearer tokens and browser
 * sessions alike; a path rule on a group then passes for a member only, and when Graph fails nobody
 * passes (503).
 */
@Timeout(60)
@ExtendWith(FilterServerExtension.class)
class EntraGroupsOverageTest {

  private static final String ADMINS = "0c7a0d2e-5f0e-4d6b-9a52-000000000a11";
  private static final String STAFF = "0c7a0d2e-5f0e-4d6b-9a52-000000000b22";

  private ProviderStandIn idp;
  private GraphStandIn graph;
  private FilterServers apps;
  private FilterServer app;

  private void start(Kind kind, String... settings) throws Exception {
    idp = apps.closeAfter(new ProviderStandIn(kind));
    idp.groupsOverage = true;
    graph = apps.closeAfter(new GraphStandIn(idp.appTokens::contains));
    graph.memberships.put(ProviderStandIn.oidOf("alice"), List.of(STAFF, ADMINS));
    graph.memberships.put(ProviderStandIn.oidOf("bob"), List.of(STAFF));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", ProviderStandIn.CLIENT_ID);
    p.put("clientSecret", ProviderStandIn.CLIENT_SECRET);
    p.put("groupsOverage", "graph");
    p.put("graphEndpoint", graph.endpoint());
    p.put("pathRules", "/admin/* group=" + ADMINS);
    for (int i = 0; i < settings.length; i += 2) {
      p.put(settings[i], settings[i + 1]);
    }
    app = apps.start(p);
  }

  private HttpResponse<String> bearer(String path, String token) throws Exception {
    return app.get(path, "Authorization", "Bearer " + token);
  }

  @Test
  void aBearerTokenWithOverageGetsItsGroupsFromGraphForTheGroupRule() throws Exception {
    start(Kind.ENTRA);

    HttpResponse<String> member = bearer("/admin/x", idp.accessToken("alice", Map.of()));
    HttpResponse<String> nonMember = bearer("/admin/x", idp.accessToken("bob", Map.of()));

    assertThat(member.statusCode()).isEqualTo(200);
    assertThat(seen(member).get("principal")).isEqualTo("alice");
    assertThat(nonMember.statusCode()).isEqualTo(403);
    assertThat(bearer("/other", idp.accessToken("bob", Map.of())).statusCode()).isEqualTo(200);
    assertThat(graph.calls)
        .containsExactly(ProviderStandIn.oidOf("alice"), ProviderStandIn.oidOf("bob"));
    // One app token, by client credentials at Entra's token endpoint, for Graph's .default scope.
    String graphOrigin = graph.endpoint().replace("/v1.0", "");
    assertThat(idp.appTokenRequests)
        .containsExactly(
            "/" + ProviderStandIn.TENANT + "/oauth2/v2.0/token " + graphOrigin + "/.default");
  }

  @Test
  void aBrowserSessionWithOverageGetsItsGroupsFromGraph() throws Exception {
    start(Kind.ENTRA);

    HttpResponse<String> member = new TestBrowser().navigate(app.uri("/admin/page?role=" + ADMINS));
    idp.user = "bob";
    HttpResponse<String> nonMember = new TestBrowser().navigate(app.uri("/admin/page"));

    assertThat(member.statusCode()).isEqualTo(200);
    assertThat(seen(member).get("inRole")).as("groups are roles for isUserInRole").isEqualTo(true);
    assertThat(nonMember.statusCode()).isEqualTo(403);
  }

  @Test
  void aUsersGroupsAreReadOnceAndReused() throws Exception {
    start(Kind.ENTRA);
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/admin/a")).statusCode()).isEqualTo(200);

    assertThat(browser.get(app.uri("/admin/b")).statusCode()).isEqualTo(200);
    assertThat(bearer("/admin/c", idp.accessToken("alice", Map.of())).statusCode()).isEqualTo(200);

    assertThat(graph.calls).hasSize(1);
    assertThat(idp.appTokenRequests).hasSize(1);
  }

  @Test
  void whenGraphFailsNobodyPassesAndTheAnswerIs503() throws Exception {
    start(Kind.ENTRA);
    graph.failWith = 503;

    HttpResponse<String> r = bearer("/admin/x", idp.accessToken("alice", Map.of()));
    HttpResponse<String> elsewhere = bearer("/other", idp.accessToken("bob", Map.of()));
    HttpResponse<String> page = new TestBrowser().navigate(app.uri("/admin/page"));

    for (HttpResponse<String> refused : List.of(r, elsewhere, page)) {
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(refused.body()).contains("Group memberships cannot be read now");
    }
    graph.failWith = 0;
    assertThat(bearer("/admin/x", idp.accessToken("alice", Map.of())).statusCode())
        .as("a failure is not cached")
        .isEqualTo(200);
  }

  @Test
  void anUnknownUserOrARefusedAppTokenIs503NotNoGroups() throws Exception {
    start(Kind.ENTRA);

    HttpResponse<String> unknown = bearer("/admin/x", idp.accessToken("mallory", Map.of()));
    idp.appTokens.clear(); // Graph no longer accepts the app's token
    HttpResponse<String> refused = bearer("/admin/x", idp.accessToken("bob", Map.of()));

    assertThat(unknown.statusCode()).isEqualTo(503);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(bearer("/admin/x", idp.accessToken("alice", Map.of())).statusCode())
        .as("a new app token after Graph refused the old one")
        .isEqualTo(200);
  }

  @Test
  void hasgroupsIsOverageToo() throws Exception {
    start(Kind.ENTRA);
    Map<String, Object> implicitShape = new HashMap<>();
    implicitShape.put("_claim_names", null);
    implicitShape.put("_claim_sources", null);
    implicitShape.put("hasgroups", true);

    HttpResponse<String> r = bearer("/admin/x", idp.accessToken("alice", implicitShape));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(graph.calls).hasSize(1);
  }

  @Test
  void aTokenThatCarriesItsGroupsIsNotLookedUp() throws Exception {
    start(Kind.ENTRA);
    idp.groupsOverage = false; // the stand-in's tokens then carry groups (not ADMINS)

    HttpResponse<String> r = bearer("/admin/x", idp.accessToken("alice", Map.of()));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(graph.calls).isEmpty();
  }

  @Test
  void withGroupsOverageOffGraphIsNeverAsked() throws Exception {
    start(Kind.ENTRA, "groupsOverage", "off");

    HttpResponse<String> r = bearer("/admin/x", idp.accessToken("alice", Map.of()));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(graph.calls).isEmpty();
    assertThat(idp.appTokenRequests).isEmpty();
  }

  @Test
  void atTheMultiTenantIssuerTheAppTokenComesFromTheUsersTenant() throws Exception {
    start(Kind.ENTRA_ORGANIZATIONS, "allowedTenants", ProviderStandIn.TENANT);

    HttpResponse<String> r = bearer("/admin/x", idp.accessToken("alice", Map.of()));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(idp.appTokenRequests).hasSize(1);
    assertThat(idp.appTokenRequests.get(0))
        .startsWith("/" + ProviderStandIn.TENANT + "/oauth2/v2.0/token ");
  }

  @Test
  void graphNeedsTheClientSecretAndAnHttpsEndpoint() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", "https://login.microsoftonline.com/" + ProviderStandIn.TENANT + "/v2.0");
    p.put("clientId", ProviderStandIn.CLIENT_ID);
    p.put("credentials", "bearer");
    p.put("groupsOverage", "graph");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("groupsOverage");

    p.put("clientSecret", "s");
    p.put("graphEndpoint", "http://graph.example.com/v1.0");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("graphEndpoint");
  }
}
