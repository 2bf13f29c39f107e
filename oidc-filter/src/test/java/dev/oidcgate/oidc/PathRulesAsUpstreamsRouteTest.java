package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Path rules meet a request the way upstreams route it (issue 21, finding 5): a case variant of a
 * rule's path, a {@code HEAD} under a {@code GET} line, and a method claimed by an override header,
 * over real HTTP (the filter in Jetty in front of an echo servlet).
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class PathRulesAsUpstreamsRouteTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params(String... keyValues) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("provider", "generic"); // plain "roles", not Keycloak's
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  private HttpResponse<String> send(String method, String path, String token, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(app.uri(path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + token);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String withRoles(String... roles) {
    return idp.rs256(c -> c.claim("roles", List.of(roles)));
  }

  @Test
  void aCaseVariantOfARulesPathMeetsTheRule() throws Exception {
    app = apps.start(params("pathRules", "/admin/* role=admin"));
    String reader = withRoles("reader");

    for (String path : List.of("/ADMIN/users", "/Admin/users", "/aDmIn")) {
      assertThat(send("GET", path, reader).statusCode()).as(path).isEqualTo(403);
    }
    assertThat(send("GET", "/ADMIN/users", withRoles("admin")).statusCode()).isEqualTo(200);
  }

  @Test
  void pathMatchCaseSensitiveKeepsARuleToItsOwnSpelling() throws Exception {
    app = apps.start(params("pathRules", "/admin/* role=admin", "pathMatchCase", "sensitive"));
    String reader = withRoles("reader");

    assertThat(send("GET", "/admin/users", reader).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/ADMIN/users", reader).statusCode()).isEqualTo(200);
  }

  @Test
  void aCaseVariantOfAPublicPathIsNotPublic() throws Exception {
    app = apps.start(params("publicPaths", "/pub/*", "unauthenticatedAction", "deny"));

    assertThat(app.get("/pub/page").statusCode()).isEqualTo(200);
    assertThat(app.get("/PUB/page").statusCode()).isEqualTo(401);
  }

  @Test
  void aHeadRequestMeetsTheRuleOfTheGetLine() throws Exception {
    app = apps.start(params("pathRules", "GET /reports/* scope=reports"));
    String without = idp.rs256(c -> c.claim("scope", "openid"));
    String with = idp.rs256(c -> c.claim("scope", "openid reports"));

    assertThat(send("HEAD", "/reports/q3", without).statusCode()).isEqualTo(403);
    assertThat(send("HEAD", "/reports/q3", with).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/reports/q3", without).statusCode()).isEqualTo(403);
  }

  @Test
  void methodOverrideHeadersAreStrippedBeforeTheAppByDefault() throws Exception {
    app = apps.start(params("pathRules", "DELETE /items/* role=admin"));

    HttpResponse<String> r =
        send(
            "POST",
            "/items/1",
            withRoles("reader"),
            "X-HTTP-Method-Override",
            "DELETE",
            "X_HTTP_Method",
            "DELETE",
            "X-Method-Override",
            "DELETE");

    assertThat(r.statusCode()).isEqualTo(200);
    Map<?, ?> headers = (Map<?, ?>) seen(r).get("headers");
    assertThat(headers.keySet())
        .map(Object::toString)
        .doesNotContain("x-http-method-override", "x_http_method", "x-method-override");
  }

  @Test
  void withAllowedOverrideHeadersTheLineOfTheClaimedMethodMustPassToo() throws Exception {
    app =
        apps.start(
            params("pathRules", "DELETE /items/* role=admin", "methodOverrideHeaders", "allow"));

    HttpResponse<String> reader =
        send("POST", "/items/1", withRoles("reader"), "X-HTTP-Method-Override", "DELETE");
    HttpResponse<String> underscored =
        send("POST", "/items/1", withRoles("reader"), "X_Method_Override", "delete");
    HttpResponse<String> admin =
        send("POST", "/items/1", withRoles("admin"), "X-HTTP-Method-Override", "DELETE");

    assertThat(reader.statusCode()).isEqualTo(403);
    assertThat(underscored.statusCode()).isEqualTo(403);
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(((Map<?, ?>) seen(admin).get("headers")).get("x-http-method-override"))
        .isEqualTo(List.of("DELETE"));
  }
}
