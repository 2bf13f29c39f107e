package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client-credentials token has no user: no {@code sub} (RFC 7662 makes it optional; some
 * providers' JWTs lack it too). It passes when otherwise valid, named as the client and marked as
 * one, never as a user; the access rules apply to it as to a user.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class MachineCallerTest {

  private static final String SERVICE = "billing-service";

  private TestIdp idp;
  private FilterServers apps;

  private Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("upstreamClaimHeaders", "X-Authenticated-User=sub");
    return p;
  }

  private String machineJwt() {
    return idp.rs256(c -> c.subject(null).claim("client_id", SERVICE).claim("scope", "read"));
  }

  private static Map<?, ?> headers(HttpResponse<String> r) throws Exception {
    return (Map<?, ?>) seen(r).get("headers");
  }

  @Test
  void aJwtWithoutSubIsTheClientItNamesAndNoUser() throws Exception {
    FilterServer app = apps.start(params());

    HttpResponse<String> r = app.getWithToken(machineJwt(), "X-Authenticated-User", "admin");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo(SERVICE);
    assertThat(seen(r).get("remoteUser")).isEqualTo(SERVICE);
    assertThat(headers(r).get("x-authenticated-client")).isEqualTo(List.of(SERVICE));
    assertThat(headers(r).containsKey("x-authenticated-user")).isFalse();
  }

  @Test
  void anOpaqueTokenIntrospectedWithoutSubIsTheClient() throws Exception {
    FilterServer app = apps.start(params());
    long exp = System.currentTimeMillis() / 1000 + 300;
    idp.serveIntrospection(
        "{\"active\":true,\"client_id\":\""
            + SERVICE
            + "\",\"aud\":\"my-client\",\"iss\":\""
            + idp.issuer()
            + "\",\"exp\":"
            + exp
            + ",\"scope\":\"read\",\"token_type\":\"Bearer\"}");

    HttpResponse<String> r = app.getWithToken("opaque-machine-token");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo(SERVICE);
    assertThat(headers(r).get("x-authenticated-client")).isEqualTo(List.of(SERVICE));
    assertThat(headers(r).containsKey("x-authenticated-user")).isFalse();
  }

  @Test
  void theClientIsTakenFromAzpOrCidWhenThereIsNoClientId() throws Exception {
    FilterServer app = apps.start(params());

    HttpResponse<String> azp =
        app.getWithToken(idp.rs256(c -> c.subject(null).claim("azp", "reports-job")));
    HttpResponse<String> cid =
        app.getWithToken(idp.rs256(c -> c.subject(null).claim("cid", "okta-job")));

    assertThat(azp.statusCode()).isEqualTo(200);
    assertThat(seen(azp).get("principal")).isEqualTo("reports-job");
    assertThat(cid.statusCode()).isEqualTo(200);
    assertThat(seen(cid).get("principal")).isEqualTo("okta-job");
  }

  @Test
  void aTokenNamingNeitherAUserNorAClientGets401() throws Exception {
    FilterServer app = apps.start(params());

    HttpResponse<String> r = app.getWithToken(idp.rs256(c -> c.subject(null)));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"invalid_token\"")
        .contains("names neither a user (sub) nor a client (client_id, azp or cid)");
    assertThat(app.appRequests()).isZero();
  }

  @Test
  void aRuleThatNeedsAUsersEmailRefusesTheMachineWith403() throws Exception {
    Map<String, String> p = params();
    p.put("claimsRequired", "email_domain=example.com");
    FilterServer app = apps.start(p);

    HttpResponse<String> machine = app.getWithToken(machineJwt());
    HttpResponse<String> user =
        app.getWithToken(
            idp.rs256(c -> c.claim("email", "alice@example.com").claim("email_verified", true)));

    assertThat(machine.statusCode()).isEqualTo(403);
    assertThat(machine.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"insufficient_scope\"");
    assertThat(user.statusCode()).isEqualTo(200);
  }

  @Test
  void aPathRuleNeedingARoleRefusesAMachineWithoutIt() throws Exception {
    Map<String, String> p = params();
    p.put("provider", "generic"); // plain "roles", not Keycloak's
    p.put("pathRules", "/resource role=admin");
    FilterServer app = apps.start(p);

    HttpResponse<String> plain = app.getWithToken(machineJwt());
    HttpResponse<String> admin =
        app.getWithToken(
            idp.rs256(
                c -> c.subject(null).claim("client_id", SERVICE).claim("roles", List.of("admin"))));

    assertThat(plain.statusCode()).isEqualTo(403);
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(seen(admin).get("principal")).isEqualTo(SERVICE);
  }

  @Test
  void aClientSentClientHeaderIsStrippedForAUser() throws Exception {
    FilterServer app = apps.start(params());

    HttpResponse<String> r =
        app.getWithToken(
            idp.rs256(c -> c.subject("alice").claim("client_id", SERVICE)),
            "X-Authenticated-Client",
            "spoofed",
            "X_Authenticated_Client",
            "spoofed");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo("alice");
    assertThat(headers(r).get("x-authenticated-user")).isEqualTo(List.of("alice"));
    assertThat(headers(r).containsKey("x-authenticated-client")).isFalse();
    assertThat(headers(r).containsKey("x_authenticated_client")).isFalse();
  }

  @Test
  void theClientHeaderCanBeRenamedOrTurnedOff() throws Exception {
    Map<String, String> renamed = params();
    renamed.put("upstreamClientHeader", "X-Service");
    Map<String, String> off = params();
    off.put("upstreamClientHeader", "none");

    Map<?, ?> seenRenamed =
        headers(apps.start(renamed).getWithToken(machineJwt(), "X-Service", "spoofed"));
    HttpResponse<String> offResponse = apps.start(off).getWithToken(machineJwt());

    assertThat(seenRenamed.get("x-service")).isEqualTo(List.of(SERVICE));
    assertThat(seenRenamed.containsKey("x-authenticated-client")).isFalse();
    assertThat(offResponse.statusCode()).isEqualTo(200);
    assertThat(headers(offResponse).containsKey("x-authenticated-client")).isFalse();
  }

  @Test
  void thePrincipalSaysWhetherItIsAClient() throws Exception {
    OidcConfig config =
        OidcConfig.builder().issuer(idp.issuer()).clientId(TestIdp.CLIENT_ID).build();
    try (OidcGate gate = OidcGate.start(config)) {
      Caller machine = gate.authenticateBearer(machineJwt());
      Caller user = gate.authenticateBearer(idp.rs256(c -> c.claim("client_id", SERVICE)));

      assertThat(machine.principal().isClient()).isTrue();
      assertThat(machine.principal().getName()).isEqualTo(SERVICE);
      assertThat(user.principal().isClient()).isFalse();
      assertThat(user.principal().getName()).isEqualTo("alice");
    }
  }
}
