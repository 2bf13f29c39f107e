package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.GraphStandIn;
import dev.oidcgate.oidc.testsupport.ProviderStandIn;
import dev.oidcgate.oidc.testsupport.ProviderStandIn.Kind;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Groups overage ({@code groupsOverage=graph}) with a second issuer (a "partner") in {@code
 * additionalIssuers}: the app token for Graph is asked for at the token endpoint the issuer's
 * discovery names, with a client's credentials, so a partner's token with overage markers must
 * never make the filter send the main client's id and secret to the partner. Overage is resolved at
 * the partner only with a client given for it in {@code issuerClients}, and then with that one.
 */
@Timeout(60)
@ExtendWith({FilterServerExtension.class})
class GroupsOverageAtAdditionalIssuersTest {

  private static final String ADMINS = "0c7a0d2e-5f0e-4d6b-9a52-000000000a11";
  private static final String PARTNER_CLIENT = "partner-client";

  private ProviderStandIn main;
  private ProviderStandIn partner;
  private GraphStandIn graph;
  private FilterServers apps;
  private FilterServer app;

  /**
   * @param partnerLogin whether the partner also logs browsers in with the main client ({@code
   *     issuerClients} entry {@code name=issuer} alone)
   */
  private void start(boolean partnerLogin) throws Exception {
    main = apps.closeAfter(new ProviderStandIn(Kind.ENTRA));
    main.groupsOverage = true;
    partner = apps.closeAfter(new ProviderStandIn(Kind.ENTRA));
    partner.groupsOverage = true;
    graph =
        apps.closeAfter(
            new GraphStandIn(t -> main.appTokens.contains(t) || partner.appTokens.contains(t)));
    graph.memberships.put(ProviderStandIn.oidOf("alice"), List.of(ADMINS));
    graph.memberships.put(ProviderStandIn.oidOf("mallory"), List.of(ADMINS));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", main.issuer());
    p.put("additionalIssuers", partner.issuer());
    p.put("clientId", ProviderStandIn.CLIENT_ID);
    p.put("clientSecret", ProviderStandIn.CLIENT_SECRET);
    p.put("groupsOverage", "graph");
    p.put("graphEndpoint", graph.endpoint());
    // issuer=any: the rule admits the partner's callers, so only their groups decide.
    p.put("pathRules", "/admin/* group=" + ADMINS + " issuer=any");
    if (partnerLogin) {
      p.put("issuerClients", "partner=" + partner.issuer());
    }
    app = apps.start(p);
  }

  private HttpResponse<String> bearer(String path, String token) throws Exception {
    return app.get(path, "Authorization", "Bearer " + token);
  }

  @ParameterizedTest(name = "partner logs browsers in with the main client: {0}")
  @ValueSource(booleans = {false, true})
  void aPartnersOverageTokenNeverSendsOurClientCredentialsToThePartner(boolean partnerLogin)
      throws Exception {
    start(partnerLogin);
    String partnerToken = partner.accessToken("mallory", Map.of("hasgroups", true));

    HttpResponse<String> groupRule = bearer("/admin/x", partnerToken);
    HttpResponse<String> noGroupRule = bearer("/other", partnerToken);

    assertThat(partner.tokenRequestClients)
        .as("the partner's token endpoint is never sent a request")
        .isEmpty();
    assertThat(graph.calls).isEmpty();
    // The partner's token has no groups the filter can know of: a group rule refuses it.
    assertThat(groupRule.statusCode()).isEqualTo(403);
    assertThat(groupRule.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertThat(noGroupRule.statusCode()).isEqualTo(200);
    assertThat(seen(noGroupRule).get("principal")).isEqualTo("mallory");
    // The main issuer's overage is resolved as before, at its own token endpoint.
    assertThat(bearer("/admin/x", main.accessToken("alice", Map.of())).statusCode()).isEqualTo(200);
    assertThat(main.tokenRequestClients).containsExactly(ProviderStandIn.CLIENT_ID);
  }

  @Test
  void aPartnerWithItsOwnClientHasOverageResolvedWithThatClientOnly() throws Exception {
    String partnerSecret = "partner-secret-of-its-own";
    startWithPartnerClient(partnerSecret);
    String partnerToken = partner.accessToken("alice", Map.of());

    HttpResponse<String> r = bearer("/admin/x", partnerToken);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(partner.tokenRequestClients).containsExactly(PARTNER_CLIENT);
    assertThat(graph.calls).containsExactly(ProviderStandIn.oidOf("alice"));
  }

  private void startWithPartnerClient(String partnerSecret) throws Exception {
    // The partner stand-in knows only the client registered there.
    main = apps.closeAfter(new ProviderStandIn(Kind.ENTRA));
    partner = apps.closeAfter(new ProviderStandIn(Kind.ENTRA));
    partner.groupsOverage = true;
    partner.clientId = PARTNER_CLIENT;
    partner.clientSecret = partnerSecret;
    graph = apps.closeAfter(new GraphStandIn(partner.appTokens::contains));
    graph.memberships.put(ProviderStandIn.oidOf("alice"), List.of(ADMINS));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", main.issuer());
    p.put("additionalIssuers", partner.issuer());
    p.put(
        "issuerClients",
        "partner=" + partner.issuer() + " " + PARTNER_CLIENT + " " + partnerSecret);
    p.put("clientId", ProviderStandIn.CLIENT_ID);
    p.put("clientSecret", ProviderStandIn.CLIENT_SECRET);
    p.put("groupsOverage", "graph");
    p.put("graphEndpoint", graph.endpoint());
    // issuer=any: the rule admits the partner's callers, so only their groups decide.
    p.put("pathRules", "/admin/* group=" + ADMINS + " issuer=any");
    app = apps.start(p);
  }
}
