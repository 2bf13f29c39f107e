package dev.oidcgate.oidc.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.testlogs.SecretLedger;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A stand-in identity provider served over real HTTP by WireMock on 127.0.0.1: discovery, JWKS and
 * introspection, with keys of every supported type and helpers that mint tokens.
 */
public final class TestIdp implements AutoCloseable {

  public static final String CLIENT_ID = "my-client";
  public static final String CLIENT_SECRET = "s3cr3t-value";

  private final WireMockServer server;
  public final RSAKey rsa;
  public final ECKey ec;
  public final OctetKeyPair ed;

  public TestIdp() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    try {
      rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
      ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.port() + "/realms/test";
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  public WireMockServer wireMock() {
    return server;
  }

  /** Serves discovery and the RSA, EC and Ed25519 public keys. */
  public TestIdp serveAll() {
    serveDiscovery(issuer());
    serveKeys(rsa, ec, ed);
    return this;
  }

  public void serveDiscovery(String issuerInDocument) {
    String json =
        "{\"issuer\":\""
            + issuerInDocument
            + "\","
            + "\"authorization_endpoint\":\""
            + url("/realms/test/auth")
            + "\","
            + "\"token_endpoint\":\""
            + url("/realms/test/token")
            + "\","
            + "\"jwks_uri\":\""
            + url("/realms/test/jwks")
            + "\","
            + "\"introspection_endpoint\":\""
            + url("/realms/test/introspect")
            + "\","
            + "\"response_types_supported\":[\"code\"],"
            + "\"subject_types_supported\":[\"public\"],"
            + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\",\"EdDSA\"]}";
    server.stubFor(
        get(urlPathEqualTo("/realms/test/.well-known/openid-configuration"))
            .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json)));
  }

  public void failDiscovery() {
    server.stubFor(
        get(urlPathEqualTo("/realms/test/.well-known/openid-configuration"))
            .willReturn(aResponse().withStatus(503)));
  }

  public void serveKeys(JWK... keys) {
    List<JWK> publicKeys = new ArrayList<>();
    for (JWK k : keys) {
      publicKeys.add(k.toPublicJWK());
    }
    serve(get(urlPathEqualTo("/realms/test/jwks")), new JWKSet(publicKeys).toString());
  }

  public void failKeys() {
    failKeys(0);
  }

  /** Makes the key endpoint answer 500, after {@code delayMillis} (a hanging provider). */
  public void failKeys(int delayMillis) {
    server.stubFor(
        get(urlPathEqualTo("/realms/test/jwks"))
            .willReturn(aResponse().withStatus(500).withFixedDelay(delayMillis)));
  }

  public void serveIntrospection(String json) {
    serveIntrospection(json, 0);
  }

  /** Answers introspection after {@code delayMillis} (a slow or overloaded provider). */
  public void serveIntrospection(String json, int delayMillis) {
    server.stubFor(
        post(urlPathEqualTo("/realms/test/introspect"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(json)
                    .withFixedDelay(delayMillis)));
  }

  private void serve(MappingBuilder mapping, String json) {
    server.stubFor(
        mapping.willReturn(
            aResponse().withHeader("Content-Type", "application/json").withBody(json)));
  }

  public int jwksRequests() {
    return server
        .countRequestsMatching(getRequestedFor(urlPathEqualTo("/realms/test/jwks")).build())
        .getCount();
  }

  public int introspectionRequests() {
    return server
        .countRequestsMatching(postRequestedFor(urlPathEqualTo("/realms/test/introspect")).build())
        .getCount();
  }

  /** Claims of a valid access token for {@link #CLIENT_ID}, valid for five minutes. */
  public JWTClaimsSet.Builder accessClaims() {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .subject("alice")
        .audience(CLIENT_ID)
        .issueTime(new Date(now - 1000))
        .expirationTime(new Date(now + 300_000))
        .jwtID(UUID.randomUUID().toString())
        .claim("scope", "openid profile read");
  }

  public String rs256(Consumer<JWTClaimsSet.Builder> claims) {
    return sign(rsa, JWSAlgorithm.RS256, claims);
  }

  public String sign(JWK key, JWSAlgorithm alg, Consumer<JWTClaimsSet.Builder> claims) {
    JWTClaimsSet.Builder b = accessClaims();
    claims.accept(b);
    return sign(
        key,
        new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
        b.build());
  }

  public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer(key));
      String signed = jwt.serialize();
      SecretLedger.record("token signed by TestIdp", signed);
      return signed;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSSigner signer(JWK key) throws JOSEException {
    if (key instanceof RSAKey) {
      return new RSASSASigner((RSAKey) key);
    }
    if (key instanceof ECKey) {
      return new ECDSASigner((ECKey) key);
    }
    return new Ed25519Signer((OctetKeyPair) key);
  }

  @Override
  public void close() {
    server.stop();
  }
}
