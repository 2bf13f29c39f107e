package dev.oidcgate.keycloak;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.oidcgate.oidc.testsupport.FilterServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code private_key_jwt} and PAR against the real Keycloak, as docs/providers/keycloak.md says: a
 * client with Client authenticator "Signed JWT", its keys read from the filter's {@code
 * clientJwksPath} ("Use JWKS URL"), and "Pushed authorization request required" on. The filter has
 * no client secret at all.
 */
class KeycloakPrivateKeyJwtParIT {

  private static KeycloakServer keycloak;

  @TempDir static Path dir;
  private FilterServer app;

  @BeforeAll
  @Timeout(300)
  static void startKeycloak() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
  }

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  @Timeout(120)
  void aSignedJwtClientThatRequiresParSignsInWithTheKeyAloneThroughPushedRequests()
      throws Exception {
    String clientId = "pkjwt-" + UUID.randomUUID();
    RSAKey key = new RSAKeyGenerator(2048).generate();
    Path keyFile = Files.writeString(dir.resolve("client.jwk"), key.toJSONString());
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", keycloak.issuer());
    p.put("clientId", clientId);
    p.put("tokenEndpointAuthMethod", "private_key_jwt");
    p.put("clientSigningKey", keyFile.toString());
    p.put("clientSigningAlg", "PS256");
    p.put("clientJwksPath", "/jwks");
    p.put("pushedAuthorizationRequests", "always");
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    app = new FilterServer(p);

    // Clients -> Create client: Client authentication on, authenticator "Signed JWT" (PS256),
    // Keys -> Use JWKS URL, Advanced -> Pushed authorization request required.
    HttpResponse<String> created =
        new RealmAdmin(keycloak)
            .call(
                "POST",
                "/clients",
                "{\"clientId\":\""
                    + clientId
                    + "\",\"protocol\":\"openid-connect\",\"publicClient\":false,"
                    + "\"standardFlowEnabled\":true,\"clientAuthenticatorType\":\"client-jwt\","
                    + "\"redirectUris\":[\""
                    + app.uri("/callback")
                    + "\"],\"attributes\":{\"use.jwks.url\":\"true\",\"jwks.url\":\""
                    + app.uri("/jwks")
                    + "\",\"token.endpoint.auth.signing.alg\":\"PS256\","
                    + "\"require.pushed.authorization.requests\":\"true\","
                    + "\"pkce.code.challenge.method\":\"S256\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

    Browser browser = new Browser(keycloak.issuer());
    HttpResponse<String> first = browser.get(app.uri("/resource"));
    assertThat(first.statusCode()).isEqualTo(302);
    URI authorize = location(first);
    assertThat(authorize.getRawQuery()).matches("client_id=[^&]+&request_uri=[^&]+");
    // With a request_uri, Keycloak first sends the browser on to its login-actions page.
    HttpResponse<String> pushed = browser.get(authorize);
    assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(302);
    assertThat(location(pushed).toString())
        .startsWith(keycloak.issuer() + "/login-actions/authenticate?");
    HttpResponse<String> loginPage = browser.get(location(pushed));
    assertThat(loginPage.statusCode()).as("Keycloak's login page").isEqualTo(200);
    HttpResponse<String> afterLogin =
        browser.postForm(
            KeycloakInteropIT.loginFormAction(loginPage),
            "username=alice&password="
                + URLEncoder.encode(
                    KeycloakInteropIT.PASSWORDS.get("alice"), StandardCharsets.UTF_8)
                + "&credentialId=");
    assertThat(afterLogin.statusCode()).as(afterLogin.body()).isEqualTo(302);
    HttpResponse<String> back = browser.get(location(afterLogin));
    assertThat(back.statusCode()).as("the filter's callback: %s", back.body()).isEqualTo(302);
    HttpResponse<String> page = browser.get(location(back));

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(seen(page).get("principal")).isNotNull();
    Map<?, ?> claims = (Map<?, ?>) seen(page).get("claims");
    assertThat(claims.get("preferred_username")).isEqualTo("alice");
    assertThat(claims.get("azp")).isEqualTo(clientId);
  }
}
