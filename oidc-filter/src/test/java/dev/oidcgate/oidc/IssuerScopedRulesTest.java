package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
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
 * The issuer is part of who the caller is (issue 21, finding 6): with {@code additionalIssuers}, a
 * rule written for the main issuer's users does not admit another issuer's caller, whatever roles,
 * groups or subject that issuer mints, unless the rule names it; the app and the upstream are told
 * the caller's issuer in a header no client can set. Two stand-in issuers, over real HTTP.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, TestAuthServerExtension.class, FilterServerExtension.class})
class IssuerScopedRulesTest {

  private TestIdp staff;
  private TestIdp partners;
  private FilterServers apps;
  private FilterServer app;

  private void start(String... keyValues) throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", staff.issuer());
    p.put("additionalIssuers", partners.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("provider", "generic"); // plain "roles"
    p.put("upstreamClaimHeaders", "X-Authenticated-User=sub");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    app = apps.start(p);
  }

  private static String admin(TestIdp issuer) {
    return issuer.rs256(c -> c.subject("alice").claim("roles", List.of("admin")));
  }

  private HttpResponse<String> get(String path, String token, String... headers) throws Exception {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + token;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return app.get(path, all);
  }

  private static Object header(HttpResponse<String> r, String name) throws Exception {
    return ((Map<?, ?>) seen(r).get("headers")).get(name);
  }

  @Test
  void anotherIssuersAdminIsRefusedByARuleWrittenForTheMainIssuer() throws Exception {
    start("pathRules", "/admin/* role=admin");

    HttpResponse<String> partner = get("/admin/users", admin(partners));

    assertThat(partner.statusCode()).isEqualTo(403);
    assertThat(partner.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertThat(get("/admin/users", admin(staff)).statusCode()).isEqualTo(200);
    assertThat(get("/other", admin(partners)).statusCode())
        .as("no rule on this path: every accepted issuer's caller passes")
        .isEqualTo(200);
  }

  @Test
  void aRuleNamingTheOtherIssuerAdmitsItsCallers() throws Exception {
    start(
        "pathRules",
        "/admin/* role=admin issuer="
            + staff.issuer()
            + ","
            + partners.issuer()
            + "\n"
            + "/partners/* issuer=any claim:iss="
            + partners.issuer());

    assertThat(get("/admin/users", admin(partners)).statusCode()).isEqualTo(200);
    assertThat(get("/admin/users", admin(staff)).statusCode()).isEqualTo(200);
    assertThat(get("/partners/x", admin(partners)).statusCode()).isEqualTo(200);
    assertThat(get("/partners/x", admin(staff)).statusCode())
        .as("claim:iss= tells the issuers apart")
        .isEqualTo(403);
  }

  @Test
  void filterWideRulesAdmitTheMainIssuersCallersUnlessRuleIssuersSaysOtherwise() throws Exception {
    start("rolesRequired", "admin");
    assertThat(get("/resource", admin(partners)).statusCode()).isEqualTo(403);
    assertThat(get("/resource", admin(staff)).statusCode()).isEqualTo(200);
    app.close();

    start("rolesRequired", "admin", "ruleIssuers", "any");
    assertThat(get("/resource", admin(partners)).statusCode()).isEqualTo(200);
  }

  @Test
  void theUpstreamIsToldTheCallersIssuerAndAClientSentIssuerHeaderIsStripped() throws Exception {
    start();

    HttpResponse<String> partner =
        get("/resource", admin(partners), "X-Authenticated-Issuer", staff.issuer());
    HttpResponse<String> main =
        get("/resource", admin(staff), "X_Authenticated_Issuer", "https://evil.example");

    assertThat(header(partner, "x-authenticated-issuer")).isEqualTo(List.of(partners.issuer()));
    assertThat(header(main, "x-authenticated-issuer")).isEqualTo(List.of(staff.issuer()));
    assertThat(header(main, "x_authenticated_issuer")).isNull();
    // The same sub at two issuers: the same X-Authenticated-User, told apart by the issuer.
    assertThat(header(partner, "x-authenticated-user")).isEqualTo(List.of("alice"));
    assertThat(header(main, "x-authenticated-user")).isEqualTo(List.of("alice"));
  }

  @Test
  void withOneIssuerNoIssuerHeaderIsSetButAClientSentOneIsStripped() throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", staff.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("provider", "generic");
    p.put("pathRules", "/admin/* role=admin");
    app = apps.start(p);

    HttpResponse<String> r =
        get("/admin/x", admin(staff), "X-Authenticated-Issuer", "https://evil.example");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "x-authenticated-issuer")).isNull();
  }

  @Test
  void aRuleNamingAnIssuerTheFilterDoesNotKnowStopsStartUp() throws Exception {
    assertThatThrownBy(
            () -> start("pathRules", "/admin/* role=admin issuer=https://elsewhere.example"))
        .hasStackTraceContaining("pathRules")
        .hasStackTraceContaining("https://elsewhere.example");
  }

  @Test
  void aSessionAtTheOtherIssuerIsRefusedByARuleWrittenForTheMainIssuer(
      TestAuthServer a, TestAuthServer b) throws Exception {
    b.clientId = "partners-app";
    b.clientSecret = "partners-secret";
    a.roles = List.of("admin");
    b.roles = List.of("admin");
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", a.issuer());
    p.put("clientId", TestAuthServer.CLIENT_ID);
    p.put("clientSecret", TestAuthServer.CLIENT_SECRET);
    p.put("additionalIssuers", b.issuer());
    p.put(
        "issuerClients",
        "staff=" + a.issuer() + ", partners=" + b.issuer() + " partners-app partners-secret");
    p.put("rolesClaim", "realm_access.roles");
    p.put("pathRules", "/admin/* role=admin\n/partners/* role=admin issuer=partners");
    app = apps.start(p);
    TestBrowser atB = new TestBrowser();
    TestBrowser atA = new TestBrowser();
    assertThat(atB.navigate(app.uri("/resource?oidc_issuer=partners")).statusCode()).isEqualTo(200);
    assertThat(atA.navigate(app.uri("/resource?oidc_issuer=staff")).statusCode()).isEqualTo(200);

    assertThat(atB.get(app.uri("/admin/x")).statusCode()).isEqualTo(403);
    assertThat(atA.get(app.uri("/admin/x")).statusCode()).isEqualTo(200);
    assertThat(atB.get(app.uri("/partners/x")).statusCode()).isEqualTo(200);
    assertThat(atA.get(app.uri("/partners/x")).statusCode()).isEqualTo(403);
    assertThat(header(atB.get(app.uri("/partners/x")), "x-authenticated-issuer"))
        .isEqualTo(List.of(b.issuer()));
  }
}
