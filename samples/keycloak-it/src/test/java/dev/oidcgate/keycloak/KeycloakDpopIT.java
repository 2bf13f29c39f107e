package dev.oidcgate.keycloak;

import static dev.oidcgate.keycloak.KeycloakSignIn.signIn;
import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTParser;
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
 * {@code dpop=on} against Keycloak 26 with a client whose "Require DPoP bound tokens" is on
 * (attribute {@code dpop.bound.access.tokens}): the code exchange carries a proof, the access token
 * is DPoP-bound ({@code cnf.jkt}), UserInfo takes it with a proof, and the app gets it as {@code
 * Authorization: DPoP}.
 */
class KeycloakDpopIT {

  private static final String CLIENT_ID = "oidc-gate-dpop";
  private static final String CLIENT_SECRET = "oidc-gate-dpop-keycloak-it-client-secret";

  private static KeycloakServer keycloak;
  private FilterServer app;

  @BeforeAll
  @Timeout(300)
  static void dpopClient() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    // Clients -> Create client, with "Require DPoP bound tokens" on (Advanced -> OAuth 2.0 DPoP).
    HttpResponse<String> created =
        new RealmAdmin(keycloak)
            .call(
                "POST",
                "/clients",
                "{\"clientId\":\""
                    + CLIENT_ID
                    + "\",\"secret\":\""
                    + CLIENT_SECRET
                    + "\",\"publicClient\":false,\"standardFlowEnabled\":true,"
                    + "\"redirectUris\":[\"http://127.0.0.1:*\"],"
                    + "\"attributes\":{\"pkce.code.challenge.method\":\"S256\","
                    + "\"dpop.bound.access.tokens\":\"true\",\"post.logout.redirect.uris\":\"+\"},"
                    + "\"protocolMappers\":[{\"name\":\"audience\",\"protocol\":\"openid-connect\","
                    + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{"
                    + "\"included.client.audience\":\""
                    + CLIENT_ID
                    + "\",\"id.token.claim\":\"false\",\"access.token.claim\":\"true\"}}]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  private static Map<String, String> params(String dpop) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", keycloak.issuer());
    p.put("clientId", CLIENT_ID);
    p.put("clientSecret", CLIENT_SECRET);
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("dpop", dpop);
    p.put("userInfo", "true");
    return p;
  }

  @Test
  @Timeout(60)
  void withDpopOnKeycloakIssuesADpopBoundTokenAndTheAppGetsItAsDpop() throws Exception {
    app = new FilterServer(params("on"));
    Browser browser = new Browser(keycloak.issuer());

    HttpResponse<String> page = signIn(browser, app, "/resource", "alice");

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Map<?, ?> headers = (Map<?, ?>) seen(page).get("headers");
    List<?> authorization = (List<?>) headers.get("authorization");
    assertThat(authorization).hasSize(1);
    String value = (String) authorization.get(0);
    assertThat(value).startsWith("DPoP ");
    Map<String, Object> claims =
        JWTParser.parse(value.substring("DPoP ".length())).getJWTClaimsSet().toJSONObject();
    assertThat(claims.get("preferred_username")).isEqualTo("alice");
    Object cnf = claims.get("cnf");
    assertThat(cnf).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) cnf).get("jkt"))
        .as("Keycloak bound the token to the session's key")
        .isInstanceOf(String.class);
    Map<?, ?> sessionClaims = (Map<?, ?>) seen(page).get("claims");
    assertThat(sessionClaims.get("email"))
        .as("UserInfo answered the DPoP-bound token sent with a proof")
        .isEqualTo("alice@example.com");
    HttpResponse<String> again = browser.get(app.uri("/other"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(seen(again).get("principal")).isEqualTo(claims.get("sub"));
  }
}
