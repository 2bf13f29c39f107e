package dev.oidcgate.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigBuilder;
import dev.oidcgate.oidc.http.IdpTransport;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The identity provider of every benchmark, in process: discovery, the JWKS and a token endpoint
 * answered by an {@link IdpTransport}, so no benchmark measures an IdP's HTTP round trip. Tokens
 * are minted with an RSA 2048 and a P-256 key, valid for an hour.
 */
public final class BenchIdp {

  public static final String ISSUER = "https://idp.bench.invalid/realms/bench";
  public static final String CLIENT_ID = "bench-app";
  public static final String CLIENT_SECRET = "bench-secret-value";

  private final RSAKey rsa;
  private final ECKey ec;
  private volatile String nextNonce = "";
  private final java.util.concurrent.atomic.AtomicInteger tokenCalls =
      new java.util.concurrent.atomic.AtomicInteger();

  public BenchIdp() {
    try {
      rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A filter configuration for this IdP; callers add their own settings. */
  public OidcConfigBuilder config() {
    return OidcConfig.builder()
        .issuer(ISSUER)
        .clientId(CLIENT_ID)
        .clientSecret(CLIENT_SECRET)
        .transport(transport());
  }

  /** The public keys as a JWKS document, for verifiers outside the filter. */
  public JWKSet publicKeys() {
    return new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK()));
  }

  /** The RSA public key as PEM (SubjectPublicKeyInfo), for verifiers that take key files. */
  public String rsaPublicPem() {
    try {
      return "-----BEGIN PUBLIC KEY-----\n"
          + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
              .encodeToString(rsa.toRSAPublicKey().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The nonce the next ID token carries (the bench's login reads it from the redirect). */
  public void expectNonce(String nonce) {
    nextNonce = nonce;
  }

  /** How many times the token endpoint was called. */
  public int tokenCalls() {
    return tokenCalls.get();
  }

  public String rs256(String subject) {
    return sign(rsa, JWSAlgorithm.RS256, claims(subject).build(), JOSEObjectType.JWT);
  }

  /** A token with the given claims, signed with the RSA key (RS256). */
  public String rs256(JWTClaimsSet claims) {
    return sign(rsa, JWSAlgorithm.RS256, claims, JOSEObjectType.JWT);
  }

  public String es256(String subject) {
    return sign(ec, JWSAlgorithm.ES256, claims(subject).build(), JOSEObjectType.JWT);
  }

  private IdpTransport transport() {
    return request -> {
      String path = request.getURI().getPath();
      if (path.endsWith("/.well-known/openid-configuration")) {
        return json(discovery());
      }
      if (path.endsWith("/jwks")) {
        return json(publicKeys().toString());
      }
      if (path.endsWith("/token")) {
        tokenCalls.incrementAndGet();
        return json(tokenResponse());
      }
      return new HTTPResponse(404);
    };
  }

  private String tokenResponse() {
    JWTClaimsSet id = claims("alice").claim("nonce", nextNonce).build();
    return "{\"access_token\":\""
        + rs256("alice")
        + "\",\"id_token\":\""
        + sign(rsa, JWSAlgorithm.RS256, id, JOSEObjectType.JWT)
        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
        // what a token exchange answers with (RFC 8693 §2.2.1); other grants ignore it
        + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}";
  }

  private static JWTClaimsSet.Builder claims(String subject) {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .audience(CLIENT_ID)
        .issueTime(new Date(now - 1000))
        .expirationTime(new Date(now + 3_600_000))
        .jwtID(UUID.randomUUID().toString())
        .claim("scope", "openid profile read")
        .claim("email", subject + "@example.com")
        .claim("realm_access", java.util.Map.of("roles", List.of("reader", "writer")));
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
        + "/jwks\",\"response_types_supported\":[\"code\"],"
        + "\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}";
  }

  private static HTTPResponse json(String body) {
    HTTPResponse response = new HTTPResponse(200);
    response.setHeader("Content-Type", "application/json");
    response.setBody(body);
    return response;
  }

  private static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims, JOSEObjectType typ) {
    try {
      JWSSigner signer =
          key instanceof RSAKey ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key);
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(typ).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
