package dev.oidcgate.oidc.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The client assertions this library makes (RFC 7523): the audience is the issuer identifier, never
 * the endpoint the assertion is sent to; 60 seconds of life; a new {@code jti} each time.
 */
class ClientAssertionTest {

  private static final String ISSUER = "https://idp.example.com/realms/demo";
  private static final URI TOKEN_ENDPOINT =
      URI.create("https://idp.example.com/realms/demo/protocol/openid-connect/token");
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final Secret SECRET = new Secret("a-client-secret-of-at-least-32-bytes");

  private final ECKey key = generate();

  private static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private KeyClientAuthenticator authenticator() {
    return new KeyClientAuthenticator(
        new ClientID("app"),
        Optional.of(SECRET),
        Optional.of(new ClientSigner(key, JWSAlgorithm.ES256)),
        () -> ISSUER,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private SignedJWT privateKeyJwt(URI endpoint) {
    return ((PrivateKeyJWT)
            authenticator()
                .authenticate(ClientAuthenticationMethod.PRIVATE_KEY_JWT, endpoint)
                .orElseThrow())
        .getClientAssertion();
  }

  @Test
  void withClientAssertionAudienceEndpointBothAssertionsNameTheEndpointTheyAreSentTo()
      throws Exception {
    KeyClientAuthenticator forEntraAndOkta =
        new KeyClientAuthenticator(
            new ClientID("app"),
            Optional.of(SECRET),
            Optional.of(new ClientSigner(key, JWSAlgorithm.ES256)),
            () -> ISSUER,
            true,
            Clock.fixed(NOW, ZoneOffset.UTC));
    SignedJWT signed =
        ((PrivateKeyJWT)
                forEntraAndOkta
                    .authenticate(ClientAuthenticationMethod.PRIVATE_KEY_JWT, TOKEN_ENDPOINT)
                    .orElseThrow())
            .getClientAssertion();
    assertThat(signed.getJWTClaimsSet().getAudience()).containsExactly(TOKEN_ENDPOINT.toString());
    SignedJWT hmac =
        ((com.nimbusds.oauth2.sdk.auth.ClientSecretJWT)
                forEntraAndOkta
                    .authenticate(ClientAuthenticationMethod.CLIENT_SECRET_JWT, TOKEN_ENDPOINT)
                    .orElseThrow())
            .getClientAssertion();
    assertThat(hmac.getJWTClaimsSet().getAudience()).containsExactly(TOKEN_ENDPOINT.toString());
  }

  @Test
  void thePrivateKeyJwtAudienceIsTheIssuerNotTheTokenEndpoint() throws Exception {
    SignedJWT assertion = privateKeyJwt(TOKEN_ENDPOINT);
    assertThat(assertion.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
    JWTClaimsSet claims = assertion.getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly(ISSUER);
    assertThat(claims.getAudience()).doesNotContain(TOKEN_ENDPOINT.toString());
    assertThat(claims.getIssuer()).isEqualTo("app");
    assertThat(claims.getSubject()).isEqualTo("app");
    assertThat(assertion.getHeader().getKeyID()).isEqualTo("k1");
    assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
  }

  @Test
  void anAssertionLivesSixtySecondsAndEachHasItsOwnJti() throws Exception {
    JWTClaimsSet one = privateKeyJwt(TOKEN_ENDPOINT).getJWTClaimsSet();
    JWTClaimsSet two = privateKeyJwt(TOKEN_ENDPOINT).getJWTClaimsSet();
    assertThat(one.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(Duration.between(NOW, one.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(one.getJWTID()).isNotBlank().isNotEqualTo(two.getJWTID());
  }

  @Test
  void anAssertionForTheParOrRevocationEndpointHasTheSameIssuerAudience() throws Exception {
    SignedJWT par = privateKeyJwt(URI.create("https://idp.example.com/par"));
    assertThat(par.getJWTClaimsSet().getAudience()).containsExactly(ISSUER);
  }

  @Test
  void clientSecretJwtIsHs256WithTheSecretAndTheIssuerAudience() throws Exception {
    SignedJWT assertion =
        ((ClientSecretJWT)
                authenticator()
                    .authenticate(ClientAuthenticationMethod.CLIENT_SECRET_JWT, TOKEN_ENDPOINT)
                    .orElseThrow())
            .getClientAssertion();
    assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(assertion.verify(new MACVerifier(SECRET.getValueBytes()))).isTrue();
    assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(ISSUER);
    assertThat(
            Duration.between(
                assertion.getJWTClaimsSet().getIssueTime().toInstant(),
                assertion.getJWTClaimsSet().getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theSecretMethodsStillSendTheSecret() {
    assertThat(
            authenticator()
                .authenticate(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, TOKEN_ENDPOINT)
                .orElseThrow()
                .getMethod())
        .isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
  }
}
