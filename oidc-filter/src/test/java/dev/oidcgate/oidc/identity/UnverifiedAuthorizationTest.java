package dev.oidcgate.oidc.identity;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.PlainJWT;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client's {@code Authorization} that the filter did not verify never reaches the app (or the
 * upstream behind a proxy, which with the default {@code upstreamAccessTokenHeader} would take it
 * for a token the filter checked), on the paths that go on without a caller: the filter in a real
 * Jetty with an echo servlet behind it, requests over real HTTP.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class UnverifiedAuthorizationTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> bearerOnly(String... keyValues) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("unauthenticatedAction", "deny");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  /** An {@code alg: none} token with claims that would pass if nobody checked the signature. */
  private String forged() {
    return new PlainJWT(idp.accessClaims().subject("admin").build()).serialize();
  }

  @Test
  void aPreflightPassedToTheAppCarriesNoForgedBearerToken() throws Exception {
    app = apps.start(bearerOnly("corsPreflight", "pass"));

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(app.uri("/api/orders"))
                .timeout(Duration.ofSeconds(10))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://spa.example.com")
                .header("Access-Control-Request-Method", "DELETE")
                .header("Authorization", "Bearer " + forged())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(headersSeen(r).keySet()).map(Object::toString).doesNotContain("authorization");
  }

  @Test
  void aPublicPathWhoseBearerTokenFailsPassesWithoutThatToken() throws Exception {
    app = apps.start(bearerOnly("publicPaths", "/pub/*"));

    HttpResponse<String> r = app.get("/pub/page", "Authorization", "Bearer " + forged());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isNull();
    assertThat(headersSeen(r).keySet()).map(Object::toString).doesNotContain("authorization");
  }

  @Test
  void withUnauthenticatedActionPassAnotherSchemesCredentialDoesNotReachTheApp() throws Exception {
    app = apps.start(bearerOnly("unauthenticatedAction", "pass"));

    HttpResponse<String> r = app.get("/resource", "Authorization", "Basic YWRtaW46YWRtaW4=");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isNull();
    assertThat(headersSeen(r).keySet()).map(Object::toString).doesNotContain("authorization");
  }

  @Test
  void aVerifiedBearerTokenStillReachesTheAppInUpstreamAccessTokenHeader() throws Exception {
    app = apps.start(bearerOnly());
    String token = idp.rs256(c -> c.subject("alice"));

    HttpResponse<String> r = app.getWithToken(token);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(headersSeen(r).get("authorization")).isEqualTo(java.util.List.of("Bearer " + token));
  }

  private static Map<?, ?> headersSeen(HttpResponse<String> r) throws Exception {
    return (Map<?, ?>) seen(r).get("headers");
  }
}
