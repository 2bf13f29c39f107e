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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Machine callers against the certified OP (issue 23's defect): a client-credentials access token
 * has no user, and the OP introspects an opaque one as active without {@code sub} (RFC 7662 makes
 * it optional). On a bearer-only filter it passes, named as the client that holds it, whether the
 * OP issued it opaque (checked by introspection) or as a JWT.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderMachineCallerIT {

  private static final String OPAQUE_API = "urn:oidc-gate:opaque-api";
  private static final String API_CLIENT_ID = "machine-callers-api";
  private static final String API_CLIENT_SECRET = "machine-callers-api-secret-for-introspection";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static OidcProviderServer op;

  @BeforeAll
  @Timeout(360)
  static void providerWithTheApisClient() throws Exception {
    op = SharedProvider.get(); // stopped when the test JVM exits
    // The API's own confidential client, which it introspects opaque tokens with.
    Map<String, Object> api = new LinkedHashMap<>();
    api.put("client_id", API_CLIENT_ID);
    api.put("client_secret", API_CLIENT_SECRET);
    api.put("grant_types", List.of("client_credentials"));
    api.put("response_types", List.of());
    api.put("redirect_uris", List.of());
    api.put("token_endpoint_auth_method", "client_secret_basic");
    op.register(api);
  }

  private static Map<String, String> api(String audience) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", op.issuer());
    p.put("clientId", API_CLIENT_ID);
    p.put("clientSecret", API_CLIENT_SECRET);
    p.put("audience", audience);
    p.put("credentials", "bearer");
    return p;
  }

  @Test
  @Timeout(60)
  void anOpaqueClientCredentialsTokenPassesAsTheClient(FilterServers servers) throws Exception {
    FilterServer app = servers.start(api(OPAQUE_API));
    String token = clientCredentialsToken(OPAQUE_API);
    assertThat(token).as("an opaque token, not a JWT").doesNotContain(".");

    HttpResponse<String> r = app.getWithToken(token);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo(SharedProvider.MACHINE_CLIENT_ID);
    Map<?, ?> headers = (Map<?, ?>) seen(r).get("headers");
    assertThat(headers.get("x-authenticated-client"))
        .isEqualTo(List.of(SharedProvider.MACHINE_CLIENT_ID));
  }

  @Test
  @Timeout(60)
  void aJwtClientCredentialsTokenPassesAsTheClient(FilterServers servers) throws Exception {
    FilterServer app = servers.start(api(SharedProvider.API));
    String token = clientCredentialsToken(SharedProvider.API);
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience())
        .containsExactly(SharedProvider.API);

    HttpResponse<String> r = app.getWithToken(token);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo(SharedProvider.MACHINE_CLIENT_ID);
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
    assertThat(r.statusCode()).as("the OP's token endpoint: %s", r.body()).isEqualTo(200);
    String token = (String) JSONObjectUtils.parse(r.body()).get("access_token");
    SecretLedger.record("access token", token);
    return token;
  }
}
