package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.testlogs.SecretLedger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bearer-only filter (an API: {@code credentials=bearer}, {@code audience} = the API's resource
 * indicator) against JWT access tokens from oidc-provider's token endpoint (client credentials
 * grant, RFC 8707 {@code resource}).
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderBearerIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static OidcProviderServer op;

  @BeforeAll
  @Timeout(360)
  static void startProvider() throws Exception {
    op = SharedProvider.get(); // stopped when the test JVM exits
  }

  /**
   * The API's filter. {@code clientId} is set although docs/configuration.md says {@code audience}
   * alone will do: without it the filter fails to start (new ClientID(null) in OidcGate.idpClient).
   */
  private static Map<String, String> api() {
    return Map.of(
        "issuer",
        op.issuer(),
        "clientId",
        "oidc-gate-api",
        "audience",
        SharedProvider.API,
        "credentials",
        "bearer");
  }

  @Test
  @Timeout(60)
  void anAccessTokenForTheApiIsAcceptedAndTheAppSeesTheCallingClient(FilterServers servers)
      throws Exception {
    FilterServer app = servers.start(api());
    String token = clientCredentialsToken(SharedProvider.API);
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience())
        .containsExactly(SharedProvider.API);

    HttpResponse<String> r = app.getWithToken(token);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(seen(r).get("principal"))
        .as("a client credentials token's sub is the client")
        .isEqualTo(SharedProvider.MACHINE_CLIENT_ID);
  }

  @Test
  @Timeout(60)
  void anAccessTokenForAnotherResourceIsRefusedWith401(FilterServers servers) throws Exception {
    FilterServer app = servers.start(api());
    String token = clientCredentialsToken(SharedProvider.OTHER_API);
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience())
        .containsExactly(SharedProvider.OTHER_API);

    HttpResponse<String> r = app.getWithToken(token);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Bearer ")
        .contains("error=\"invalid_token\"");
  }

  /** An access token for {@code resource} from the OP's token endpoint, as the machine client. */
  private static String clientCredentialsToken(String resource) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (SharedProvider.MACHINE_CLIENT_ID + ":" + SharedProvider.MACHINE_CLIENT_SECRET)
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(op.issuer() + "/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&scope=api%3Aread&resource="
                            + URLEncoder.encode(resource, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("the OP's token endpoint").isEqualTo(200);
    String token = (String) JSONObjectUtils.parse(r.body()).get("access_token");
    SecretLedger.record("access token", token);
    return token;
  }
}
