package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.ProviderStandIn;
import dev.oidcgate.oidc.testsupport.ProviderStandIn.Kind;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Entra ID's multi-tenant endpoint ({@code .../organizations/v2.0}), whose discovery names the
 * issuer template {@code .../{tenantid}/v2.0}: a token is accepted only when its {@code tid} is on
 * {@code allowedTenants} and its {@code iss} is the template with that {@code tid}.
 */
@Timeout(60)
@ExtendWith(FilterServerExtension.class)
class EntraMultiTenantTest {

  private static final String SECOND = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final String FOREIGN = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

  private ProviderStandIn idp;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    idp = apps.closeAfter(new ProviderStandIn(Kind.ENTRA_ORGANIZATIONS));
  }

  private Map<String, String> settings() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", ProviderStandIn.CLIENT_ID);
    p.put("clientSecret", ProviderStandIn.CLIENT_SECRET);
    return p;
  }

  private void startApp() throws Exception {
    Map<String, String> p = settings();
    p.put("allowedTenants", ProviderStandIn.TENANT + ", " + SECOND);
    app = apps.start(p);
  }

  private HttpResponse<String> bearer(String token) throws Exception {
    return app.get("/r", "Authorization", "Bearer " + token);
  }

  @Test
  void aBearerTokenOfAnAllowedTenantPasses() throws Exception {
    startApp();

    assertThat(bearer(idp.accessToken("alice", Map.of())).statusCode()).isEqualTo(200);
    idp.tenant = SECOND;
    assertThat(bearer(idp.accessToken("bob", Map.of())).statusCode()).isEqualTo(200);
  }

  @Test
  void aBearerTokenOfATenantNotListedIsRefused() throws Exception {
    startApp();
    idp.tenant = FOREIGN;

    HttpResponse<String> r = bearer(idp.accessToken("mallory", Map.of()));

    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void aBearerTokenWhoseIssNamesAnotherTenantThanItsTidIsRefused() throws Exception {
    startApp();
    String otherIssuer = idp.issuer().replace("/organizations/", "/" + SECOND + "/");

    HttpResponse<String> r = bearer(idp.accessToken("alice", Map.of("iss", otherIssuer)));
    HttpResponse<String> foreignTid = bearer(idp.accessToken("alice", Map.of("tid", FOREIGN)));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(foreignTid.statusCode()).isEqualTo(401);
  }

  @Test
  void aBrowserLogsInWithAnIdTokenOfAnAllowedTenantOnly() throws Exception {
    startApp();

    HttpResponse<String> allowed = new TestBrowser().navigate(app.uri("/page"));
    idp.tenant = FOREIGN;
    HttpResponse<String> foreign = new TestBrowser().navigate(app.uri("/page"));

    assertThat(allowed.statusCode()).isEqualTo(200);
    // A callback whose ID token fails its checks is a bad request (the login's answer is refused).
    assertThat(foreign.statusCode()).isEqualTo(400);
    assertThat(foreign.body()).contains("expected issuer").doesNotContain("eyJ");
  }

  @Test
  void onlyTheCommonAndOrganizationsEndpointsHaveATenantTemplate() {
    assertThat(
            IssuerLocation.parse("https://login.microsoftonline.com/common/v2.0").tenantTemplate())
        .contains("https://login.microsoftonline.com/{tenantid}/v2.0");
    assertThat(
            IssuerLocation.parse(
                    "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration")
                .tenantTemplate())
        .contains("https://login.microsoftonline.com/{tenantid}/v2.0");
    assertThat(
            IssuerLocation.parse("https://login.microsoftonline.com/consumers/v2.0")
                .tenantTemplate())
        .isEmpty();
    assertThat(
            IssuerLocation.parse("https://login.microsoftonline.com/" + SECOND + "/v2.0")
                .tenantTemplate())
        .isEmpty();
    assertThat(IssuerLocation.parse("https://idp.example.com/common/v2.0/x").tenantTemplate())
        .isEmpty();
  }

  @Test
  void aMultiTenantEndpointAsAnAdditionalIssuerStopsStartUp() {
    Map<String, String> p = settings();
    p.put("issuer", "https://login.microsoftonline.com/" + SECOND + "/v2.0");
    p.put("additionalIssuers", idp.issuer());
    p.put("allowedTenants", SECOND);

    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("additionalIssuers");
  }

  @Test
  void withoutAllowedTenantsStartUpFailsNamingTheSetting() {
    assertThatThrownBy(() -> OidcConfig.fromInitParams(settings()))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("allowedTenants");
  }
}
