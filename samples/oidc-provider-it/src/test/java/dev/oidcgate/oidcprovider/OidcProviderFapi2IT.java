package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static dev.oidcgate.oidcprovider.OpSignIn.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code securityProfile=fapi2} against oidc-provider with the FAPI 2.0 Security Profile switched
 * on for the client (ids starting {@code fapi2-}): the OP then demands PAR, PKCE S256,
 * sender-constrained (DPoP) tokens, asymmetric client authentication and PS256/ES256/EdDSA. One key
 * on the filter meets all of it; without it, the same client cannot sign in.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderFapi2IT {

  private static OidcProviderServer op;

  @TempDir static Path keys;

  @BeforeAll
  @Timeout(360)
  static void startProvider() throws Exception {
    op = SharedProvider.get();
  }

  /** A FAPI 2.0 client: its id, the filter's settings and its registration at the OP. */
  private static FilterServer fapi2App(FilterServers servers, Map<String, String> extra)
      throws Exception {
    AppClient client = new AppClient();
    String id = "fapi2-" + UUID.randomUUID();
    RSAKey key = new RSAKeyGenerator(2048).generate();
    Map<String, String> settings = client.filterSettings(op.issuer());
    settings.put("clientId", id);
    settings.remove("clientSecret");
    settings.put(
        "clientSigningKey",
        Files.writeString(keys.resolve(id + ".jwk"), key.toJSONString()).toString());
    settings.put("clientJwksPath", "/jwks");
    settings.putAll(extra);
    FilterServer app = servers.start(settings);
    Map<String, Object> metadata = client.metadata(app);
    metadata.put("client_id", id);
    metadata.remove("client_secret");
    metadata.put("token_endpoint_auth_method", "private_key_jwt");
    metadata.put("token_endpoint_auth_signing_alg", "PS256");
    metadata.put("id_token_signed_response_alg", "PS256");
    metadata.put("jwks_uri", app.uri("/jwks").toString());
    metadata.put("require_pushed_authorization_requests", true);
    metadata.put("dpop_bound_access_tokens", true);
    op.register(metadata);
    return app;
  }

  @Test
  @Timeout(90)
  void theFapi2ProfileSignsInAtAnOpThatEnforcesFapi2(FilterServers servers) throws Exception {
    FilterServer app = fapi2App(servers, Map.of("securityProfile", "fapi2"));

    TestBrowser browser = new TestBrowser();
    HttpResponse<String> first = browser.get(app.uri("/resource"));
    assertThat(first.statusCode()).isEqualTo(302);
    Map<String, String> authorize = query(location(first));
    assertThat(authorize.keySet())
        .as("PAR: the browser carries only the client id and the request URI")
        .containsExactlyInAnyOrder("client_id", "request_uri");

    HttpResponse<String> page =
        OpSignIn.signIn(new TestBrowser(), app, op.issuer(), "/resource?x=1", "alice");
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Map<String, Object> seen = seen(page);
    assertThat(seen.get("principal")).isEqualTo("alice");
    Map<?, ?> headers = (Map<?, ?>) seen.get("headers");
    assertThat((List<?>) headers.get("authorization"))
        .as("the DPoP-bound access token goes on as DPoP")
        .singleElement()
        .asString()
        .startsWith("DPoP ey");
  }

  @Test
  @Timeout(90)
  void withoutTheProfileTheSameClientGetsTheLoginErrorPageNot500(FilterServers servers)
      throws Exception {
    // private_key_jwt alone: no PAR, no DPoP, RS256 assertions. The OP refuses the plain
    // authorization request and sends the browser back with an error.
    FilterServer app = fapi2App(servers, Map.of("tokenEndpointAuthMethod", "private_key_jwt"));
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    HttpResponse<String> refused = browser.get(authorize);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(303);
    URI back = location(refused);
    assertThat(query(back)).containsKey("error").doesNotContainKey("code");
    HttpResponse<String> errorPage = browser.get(back);
    assertThat(errorPage.statusCode()).isEqualTo(400);
    assertThat(errorPage.body()).doesNotContain("Exception").doesNotContain("at dev.");
    assertThat(List.of(errorPage.headers().firstValue("Content-Type").orElse("")))
        .allMatch(t -> t.startsWith("text/html"));
  }

  @Test
  @Timeout(90)
  void theOpEnforcesFapi2AParAndDpopClientSigningRs256IsRefusedAtThePush(FilterServers servers)
      throws Exception {
    // Everything fapi2 sets but the algorithm: the OP's FAPI 2.0 profile refuses the RS256
    // client assertion, so the profile's PS256 is what made the first test pass.
    FilterServer app =
        fapi2App(
            servers,
            Map.of(
                "tokenEndpointAuthMethod", "private_key_jwt",
                "pushedAuthorizationRequests", "always",
                "dpop", "on",
                "clientSigningAlg", "RS256"));
    HttpResponse<String> page = new TestBrowser().get(app.uri("/resource"));
    assertThat(page.statusCode()).as("the login error page, not a redirect").isEqualTo(400);
    assertThat(page.body()).contains("invalid_client").doesNotContain("Exception");
  }
}
