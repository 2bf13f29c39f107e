package dev.oidcgate.oidc.fuzz;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.testsupport.FakeIdpTransport;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An identity provider in memory for the in-process fuzz targets: discovery, an RSA and an EC key,
 * a token endpoint that refuses every code and an introspection endpoint that knows no token, and
 * one {@link OidcGate} started against it. Nothing goes over the network, so a fuzz run spends its
 * time in our code. One per JVM (keys are slow to make); thread-safe as the gate is.
 */
final class FuzzProvider {

  static final String ISSUER = "https://idp.example/realms/fuzz";
  static final String CLIENT_ID = "fuzz-client";
  static final String CLIENT_SECRET = "fuzz-client-secret-0123456789";
  static final String SESSION_SECRET = "fuzz-session-secret-0123456789-abcdef";
  static final String BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

  private static FuzzProvider instance;

  final RSAKey rsa;
  final ECKey ec;
  final FakeIdpTransport transport = new FakeIdpTransport();
  final OidcGate gate;
  final String rsaAccessToken;
  final String ecAccessToken;

  private FuzzProvider() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    transport.json(URI.create(ISSUER + "/.well-known/openid-configuration"), discovery());
    transport.json(
        URI.create(ISSUER + "/jwks"),
        new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
    transport.status(URI.create(ISSUER + "/token"), 400, "{\"error\":\"invalid_grant\"}");
    transport.json(URI.create(ISSUER + "/introspect"), "{\"active\":false}");
    gate =
        OidcGate.start(
            OidcConfig.builder()
                .issuer(ISSUER)
                .clientId(CLIENT_ID)
                .clientSecret(CLIENT_SECRET)
                .set("sessionSecret", SESSION_SECRET)
                .set("redirectUri", "https://app.example/app/callback")
                .transport(transport)
                .build());
    rsaAccessToken = accessToken(rsa);
    ecAccessToken = accessToken(ec);
  }

  static synchronized FuzzProvider get() throws Exception {
    if (instance == null) {
      instance = new FuzzProvider();
    }
    return instance;
  }

  /** A valid access token for {@link #CLIENT_ID}, valid for an hour, signed with {@code key}. */
  String accessToken(JWK key) {
    long now = System.currentTimeMillis();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("alice")
            .audience(CLIENT_ID)
            .issueTime(new Date(now - 1000))
            .expirationTime(new Date(now + 3_600_000))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", "openid read")
            .build();
    return TestIdp.sign(key, header(key, JOSEObjectType.JWT), claims);
  }

  /** A valid back-channel logout token naming {@code sid} and {@code sub}. */
  String logoutToken(JWK key) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(CLIENT_ID)
            .subject("alice")
            .issueTime(new Date())
            .jwtID(UUID.randomUUID().toString())
            .claim("sid", "op-session-1")
            .claim("events", Map.of(BACKCHANNEL_EVENT, Map.of()))
            .build();
    return TestIdp.sign(key, header(key, new JOSEObjectType("logout+jwt")), claims);
  }

  private static JWSHeader header(JWK key, JOSEObjectType type) {
    JWSAlgorithm alg = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
    return new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(type).build();
  }

  private static String discovery() {
    return "{\"issuer\":\""
        + ISSUER
        + "\",\"authorization_endpoint\":\""
        + ISSUER
        + "/auth\",\"token_endpoint\":\""
        + ISSUER
        + "/token\",\"jwks_uri\":\""
        + ISSUER
        + "/jwks\",\"introspection_endpoint\":\""
        + ISSUER
        + "/introspect\",\"authorization_response_iss_parameter_supported\":true,"
        + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"],"
        + "\"code_challenge_methods_supported\":[\"S256\"]}";
  }
}
