package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
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
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real DPoP-bound access token from oidc-provider (a client registered with {@code
 * dpop_bound_access_tokens}, client credentials grant with a DPoP proof, a JWT access token with
 * {@code cnf.jkt}) presented to a bearer-only filter: with its proof it passes, as {@code Bearer}
 * it is refused, and a proof for another key is refused.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderDpopResourceServerIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static OidcProviderServer op;
  private static String clientId;
  private static String clientSecret;

  @BeforeAll
  @Timeout(360)
  static void startProviderAndRegisterTheDpopClient() throws Exception {
    op = SharedProvider.get(); // stopped when the test JVM exits
    clientId = "dpop-machine-" + UUID.randomUUID();
    clientSecret = "secret-" + UUID.randomUUID();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("client_id", clientId);
    metadata.put("client_secret", clientSecret);
    metadata.put("grant_types", List.of("client_credentials"));
    metadata.put("redirect_uris", List.of());
    metadata.put("response_types", List.of());
    metadata.put("token_endpoint_auth_method", "client_secret_basic");
    metadata.put("dpop_bound_access_tokens", true);
    op.register(metadata);
  }

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
  void aDpopBoundTokenFromTheProviderPassesWithItsProofAndNotAsBearer(FilterServers servers)
      throws Exception {
    FilterServer app = servers.start(api());
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
    String token = dpopToken(proofs);
    Map<String, Object> cnf =
        JSONObjectUtils.getJSONObject(
            SignedJWT.parse(token).getJWTClaimsSet().toJSONObject(), "cnf");
    assertThat(cnf).containsEntry("jkt", key.computeThumbprint().toString());

    URI url = app.uri("/resource");
    HttpResponse<String> ok =
        app.get(
            "/resource",
            "Authorization",
            "DPoP " + token,
            "DPoP",
            proofs.createDPoPJWT("GET", url, new DPoPAccessToken(token)).serialize());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(seen(ok).get("principal")).isEqualTo(clientId);
    assertThat(((Map<?, ?>) seen(ok).get("headers")).containsKey("dpop")).isFalse();

    HttpResponse<String> asBearer = app.getWithToken(token);
    assertThat(asBearer.statusCode()).isEqualTo(401);
    assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("DPoP ")
        .contains("error=\"invalid_token\"");

    DefaultDPoPProofFactory stranger =
        new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
    HttpResponse<String> otherKey =
        app.get(
            "/resource",
            "Authorization",
            "DPoP " + token,
            "DPoP",
            stranger.createDPoPJWT("GET", url, new DPoPAccessToken(token)).serialize());
    assertThat(otherKey.statusCode()).isEqualTo(401);
    assertThat(otherKey.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
  }

  /** A DPoP-bound access token for the API from the OP's token endpoint (client credentials). */
  private static String dpopToken(DefaultDPoPProofFactory proofs) throws Exception {
    URI tokenEndpoint = URI.create(op.issuer() + "/token");
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("DPoP", proofs.createDPoPJWT("POST", tokenEndpoint).serialize())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&scope=api%3Aread&resource="
                            + URLEncoder.encode(SharedProvider.API, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("the OP's token endpoint: %s", r.body()).isEqualTo(200);
    Map<String, Object> body = JSONObjectUtils.parse(r.body());
    assertThat(body.get("token_type")).isEqualTo("DPoP");
    String token = (String) body.get("access_token");
    SecretLedger.record("access token", token);
    return token;
  }
}
