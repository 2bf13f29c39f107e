package dev.oidcgate.samples.tomcat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The identity provider stand-in: WireMock on 127.0.0.1 serving discovery and a JWKS with one RSA
 * key generated here, and minting RS256 access tokens signed with it.
 */
final class SampleIdp implements AutoCloseable {

  static final String CLIENT_ID = "sample-client";
  static final String CLIENT_SECRET = "sample-secret";

  private final WireMockServer server;
  private final RSAKey key;

  SampleIdp() throws JOSEException {
    key = new RSAKeyGenerator(2048).keyID("sample-rsa-1").generate();
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    String discovery =
        "{\"issuer\":\""
            + issuer()
            + "\","
            + "\"authorization_endpoint\":\""
            + issuer()
            + "/auth\","
            + "\"token_endpoint\":\""
            + issuer()
            + "/token\","
            + "\"jwks_uri\":\""
            + issuer()
            + "/jwks\","
            + "\"response_types_supported\":[\"code\"],"
            + "\"subject_types_supported\":[\"public\"],"
            + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
    serveJson("/realms/sample/.well-known/openid-configuration", discovery);
    serveJson("/realms/sample/jwks", new JWKSet(key.toPublicJWK()).toString());
  }

  /** The realm role every token has unless asked otherwise. */
  static final String DEFAULT_ROLE = "api-user";

  String issuer() {
    return "http://127.0.0.1:" + server.port() + "/realms/sample";
  }

  /**
   * An RS256 access token for {@link #CLIENT_ID} with subject {@code sub}, expiring {@code
   * expiresIn} from now.
   */
  String accessToken(String sub, Duration expiresIn) throws JOSEException {
    return accessToken(sub, expiresIn, List.of(DEFAULT_ROLE));
  }

  /** Like {@link #accessToken(String, Duration)}, with these Keycloak-style realm roles. */
  String accessToken(String sub, Duration expiresIn, List<String> realmRoles) throws JOSEException {
    Instant now = Instant.now();
    Instant expires = now.plus(expiresIn);
    Instant issued =
        expires.isAfter(now) ? now.minusSeconds(1) : expires.minus(Duration.ofMinutes(5));
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .audience(CLIENT_ID)
            .subject(sub)
            .issueTime(Date.from(issued))
            .expirationTime(Date.from(expires))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", "openid profile")
            .claim("realm_access", Map.of("roles", realmRoles))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private void serveJson(String path, String json) {
    server.stubFor(
        get(urlPathEqualTo(path))
            .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json)));
  }

  @Override
  public void close() {
    server.stop();
  }
}
