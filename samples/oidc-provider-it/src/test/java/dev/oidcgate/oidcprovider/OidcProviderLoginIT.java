package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static dev.oidcgate.oidcprovider.OpSignIn.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Browser login with the filter (in Jetty, with an echo servlet) against oidc-provider: its own
 * login and consent pages, PKCE, and the JWT access token for the API resource that the app gets.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderLoginIT {

  private static OidcProviderServer op;

  @BeforeAll
  @Timeout(360)
  static void startProvider() throws Exception {
    op = SharedProvider.get(); // stopped when the test JVM exits
  }

  @Test
  @Timeout(60)
  void aliceSignsInThroughTheProvidersLoginAndConsentPagesAndTheAppSeesHerSub(FilterServers servers)
      throws Exception {
    AppClient client = new AppClient();
    FilterServer app = servers.start(client.filterSettings(op.issuer()));
    client.register(op, app);
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> page =
        OpSignIn.signIn(browser, app, op.issuer(), "/resource?x=1", "alice");

    assertThat(page.statusCode()).isEqualTo(200);
    Map<String, Object> seen = seen(page);
    assertThat(seen.get("principal")).isEqualTo("alice");
    Map<?, ?> claims = (Map<?, ?>) seen.get("claims");
    assertThat(claims.get("sub")).isEqualTo("alice");
    assertThat(claims.get("email")).isEqualTo("alice@example.com");

    String authorization = header(page, "authorization");
    assertThat(authorization).startsWith("Bearer ey");
    SignedJWT accessToken = SignedJWT.parse(authorization.substring("Bearer ".length()));
    assertThat(accessToken.getHeader().getType().getType())
        .as("an RFC 9068 access token for the API resource")
        .isEqualTo("at+jwt");
    assertThat(accessToken.getJWTClaimsSet().getAudience()).containsExactly(SharedProvider.API);
    assertThat(accessToken.getJWTClaimsSet().getSubject()).isEqualTo("alice");

    HttpResponse<String> again = browser.get(app.uri("/other"));
    assertThat(again.statusCode()).as("the session carries on").isEqualTo(200);
    assertThat(seen(again).get("principal")).isEqualTo("alice");
  }

  @Test
  @Timeout(60)
  void theProviderRefusesAnAuthorizationRequestWithoutPkce(FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    FilterServer app = servers.start(client.filterSettings(op.issuer()));
    client.register(op, app);
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    URI withoutPkce =
        URI.create(authorize.toString().replaceAll("&code_challenge(_method)?=[^&]*", ""));
    assertThat(withoutPkce.toString()).doesNotContain("code_challenge");

    HttpResponse<String> refused = browser.get(withoutPkce);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(303);
    URI back = location(refused);
    assertThat(back.toString()).startsWith(app.uri("/callback").toString());
    assertThat(query(back)).containsEntry("error", "invalid_request").doesNotContainKey("code");
  }

  private static String header(HttpResponse<String> page, String name) throws Exception {
    Map<?, ?> headers = (Map<?, ?>) seen(page).get("headers");
    List<?> values = (List<?>) headers.get(name);
    assertThat(values).as("the %s header the app got", name).hasSize(1);
    return (String) values.get(0);
  }
}
