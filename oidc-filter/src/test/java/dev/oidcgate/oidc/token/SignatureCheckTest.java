package dev.oidcgate.oidc.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.testsupport.FakeIdpTransport;
import dev.oidcgate.oidc.testsupport.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {

  private static final URI JWKS = URI.create("https://idp.example/jwks");

  /** One fetch per second, so an unknown kid after each clock step refetches the key set. */
  private static final JwksCache.Timing TIMING =
      new JwksCache.Timing(
          Duration.ofMinutes(10), Duration.ofSeconds(1), 1, Duration.ofSeconds(60));

  private final MutableClock clock = new MutableClock();
  private final FakeIdpTransport idp = new FakeIdpTransport();
  private final SignatureCheck check =
      new SignatureCheck(
          new JwksCache(() -> JWKS, idp, clock, TIMING, Runnable::run),
          Set.of(JWSAlgorithm.RS256, JWSAlgorithm.EdDSA));

  private void serve(JWK key) {
    idp.json(JWKS, new JWKSet(List.of(key.toPublicJWK())).toString());
    clock.advance(Duration.ofSeconds(2));
  }

  private static SignedJWT signed(JWSAlgorithm alg, String kid, JWSSigner signer)
      throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(alg).keyID(kid).build(),
            new JWTClaimsSet.Builder().subject("alice").build());
    jwt.sign(signer);
    return jwt;
  }

  /**
   * Each round is a key-set fetch with a fresh key, then a token signed by it: what a provider
   * rotating Ed25519 keys (or a refetch that parses its keys anew) does over months.
   */
  private void fetchAndVerifyFreshEd25519Keys(int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-" + i).generate();
      serve(key);
      check.verify(signed(JWSAlgorithm.EdDSA, "ed-" + i, new Ed25519Signer(key)), "token");
    }
  }

  @Test
  void verifiersOfRotatedOutEd25519KeysDoNotPileUp() throws Exception {
    fetchAndVerifyFreshEd25519Keys(300);

    assertThat(check.cachedVerifiers()).isLessThanOrEqualTo(SignatureCheck.MAX_VERIFIERS);
  }

  @Test
  void anEd25519VerifierGoesWithTheKeySetItsKeyCameFrom() throws Exception {
    fetchAndVerifyFreshEd25519Keys(20);

    // The GC clears weak references at once but hands them over a moment later; wait for that.
    int kept = check.cachedVerifiers();
    for (int tries = 0; tries < 50 && kept > 1; tries++) {
      System.gc();
      Thread.sleep(100);
      kept = check.cachedVerifiers();
    }
    assertThat(kept).isEqualTo(1); // the key of the key set in use
  }

  @Test
  void anRs256TokenVerifiesAndOneFromAnotherKeyWithItsKidDoesNot() throws Exception {
    RSAKey published = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    serve(published);

    check.verify(signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(published)), "token");
    assertThatThrownBy(
            () ->
                check.verify(
                    signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(stranger)), "token"))
        .isInstanceOf(OidcErrorException.class)
        .hasMessageContaining("signature is invalid");
  }
}
