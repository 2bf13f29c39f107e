package dev.oidcgate.oidc.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.oidcgate.oidc.config.TokenSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.testsupport.FakeIdpTransport;
import dev.oidcgate.oidc.testsupport.MutableClock;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdTokenVerifierTest {

  private static final String ISSUER = "https://idp.example/realms/test";
  private static final String CLIENT = "my-client";
  private static final String NONCE = "n-0S6_WzA2Mj";
  private static final URI JWKS = URI.create(ISSUER + "/jwks");
  private static final Duration SKEW = Duration.ofSeconds(60);

  private static RSAKey rsa;
  private static ECKey ec;
  private static OctetKeyPair ed;
  private static RSAKey stranger;

  private final MutableClock clock = new MutableClock();
  private final FakeIdpTransport idp = new FakeIdpTransport();
  private final AccessToken accessToken = new BearerAccessToken("access-token-value-1234");

  @BeforeAll
  static void keys() throws JOSEException {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
    stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
  }

  private IdTokenVerifier verifier(Set<JWSAlgorithm> allowed) {
    idp.json(
        JWKS,
        new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK(), ed.toPublicJWK())).toString());
    JwksCache keys =
        new JwksCache(
            () -> JWKS,
            idp,
            clock,
            new JwksCache.Timing(
                Duration.ofMinutes(10), Duration.ofSeconds(30), 1, Duration.ofSeconds(60)),
            Runnable::run);
    return new IdTokenVerifier(new SignatureCheck(keys, allowed), ISSUER, CLIENT, clock, SKEW);
  }

  private IdTokenVerifier verifier() {
    return verifier(TokenSettings.ASYMMETRIC_ALGORITHMS);
  }

  private JWTClaimsSet.Builder validClaims() {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("alice")
        .audience(CLIENT)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .claim("nonce", NONCE);
  }

  private String idToken(JWK key, JWSAlgorithm alg, Consumer<JWTClaimsSet.Builder> change) {
    JWTClaimsSet.Builder claims = validClaims();
    change.accept(claims);
    return TestIdp.sign(
        key, new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims.build());
  }

  private String idToken(Consumer<JWTClaimsSet.Builder> change) {
    return idToken(rsa, JWSAlgorithm.RS256, change);
  }

  private static void assertRefused(ThrowingCallable call, String description) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            OidcErrorException.class,
            e -> {
              assertThat(e.error().status()).isEqualTo(401);
              assertThat(e.error().code()).isEqualTo("invalid_token");
              assertThat(e.error().description()).contains(description);
            });
  }

  // --- what a valid token gives ---

  @Test
  void aValidIdTokenYieldsItsClaims() throws OidcErrorException {
    Map<String, Object> claims =
        verifier().verifyAtLogin(idToken(b -> b.claim("email", "a@x")), NONCE, accessToken);
    assertThat(claims).containsEntry("sub", "alice").containsEntry("email", "a@x");
  }

  @Test
  void idTokensSignedWithEcAndEd25519KeysAreAccepted() throws OidcErrorException {
    IdTokenVerifier v = verifier();
    assertThat(v.verifyAtLogin(idToken(ec, JWSAlgorithm.ES256, b -> {}), NONCE, accessToken))
        .containsEntry("sub", "alice");
    assertThat(v.verifyAtLogin(idToken(ed, JWSAlgorithm.EdDSA, b -> {}), NONCE, accessToken))
        .containsEntry("sub", "alice");
  }

  // --- iss, aud, azp, sub ---

  @Test
  void anotherIssuerIsRefused() {
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.issuer(ISSUER + "/")), NONCE, accessToken),
        "not issued by the expected issuer");
  }

  @Test
  void anIdTokenForAnotherClientIsRefused() {
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.audience("other")), NONCE, accessToken),
        "not meant for this client");
  }

  @Test
  void severalAudiencesAreRefusedWithoutAzp() {
    assertRefused(
        () ->
            verifier()
                .verifyAtLogin(
                    idToken(b -> b.audience(List.of(CLIENT, "other"))), NONCE, accessToken),
        "authorized party");
  }

  @Test
  void severalAudiencesAreAcceptedWhenAzpIsThisClient() throws OidcErrorException {
    assertThat(
            verifier()
                .verifyAtLogin(
                    idToken(b -> b.audience(List.of(CLIENT, "other")).claim("azp", CLIENT)),
                    NONCE,
                    accessToken))
        .containsEntry("azp", CLIENT);
  }

  @Test
  void anAzpNamingAnotherClientIsRefusedEvenWithOneAudience() {
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.claim("azp", "other")), NONCE, accessToken),
        "authorized party");
  }

  @Test
  void anIdTokenWithoutSubjectIsRefused() {
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.subject(null)), NONCE, accessToken),
        "no subject");
  }

  // --- exp and iat with skew ---

  @Test
  void anIdTokenExpiredWithinTheClockSkewIsAccepted() throws OidcErrorException {
    String token = idToken(b -> {});
    clock.advance(Duration.ofMinutes(5).plus(SKEW));
    assertThat(verifier().verifyAtLogin(token, NONCE, accessToken)).containsEntry("sub", "alice");
  }

  @Test
  void anIdTokenExpiredBeyondTheClockSkewIsRefused() {
    String token = idToken(b -> {});
    clock.advance(Duration.ofMinutes(5).plus(SKEW).plusSeconds(1));
    assertRefused(() -> verifier().verifyAtLogin(token, NONCE, accessToken), "expired");
  }

  @Test
  void anIdTokenIssuedInTheFutureWithinTheSkewIsAcceptedBeyondItRefused() throws Exception {
    Instant now = clock.instant();
    String slightlyAhead = idToken(b -> b.issueTime(Date.from(now.plus(SKEW))));
    assertThat(verifier().verifyAtLogin(slightlyAhead, NONCE, accessToken)).isNotEmpty();
    String farAhead = idToken(b -> b.issueTime(Date.from(now.plus(SKEW).plusSeconds(1))));
    assertRefused(
        () -> verifier().verifyAtLogin(farAhead, NONCE, accessToken), "issued in the future");
  }

  @Test
  void anIdTokenWithoutExpOrIatIsRefused() {
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.expirationTime(null)), NONCE, accessToken),
        "no valid exp");
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.issueTime(null)), NONCE, accessToken),
        "no valid iat");
  }

  // --- nonce ---

  @Test
  void anIdTokenWithAnotherLoginsNonceIsRefused() {
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> {}), "another-nonce", accessToken), "nonce");
  }

  @Test
  void anIdTokenWithoutNonceIsRefusedAtLogin() {
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.claim("nonce", null)), NONCE, accessToken),
        "nonce");
  }

  // --- at_hash ---

  @Test
  void aMatchingAtHashIsAccepted() throws OidcErrorException {
    String hash = AccessTokenHash.compute(accessToken, JWSAlgorithm.RS256, null).getValue();
    assertThat(verifier().verifyAtLogin(idToken(b -> b.claim("at_hash", hash)), NONCE, accessToken))
        .containsEntry("at_hash", hash);
  }

  @Test
  void anAtHashOfAnotherAccessTokenIsRefused() {
    String hash =
        AccessTokenHash.compute(new BearerAccessToken("swapped"), JWSAlgorithm.RS256, null)
            .getValue();
    assertRefused(
        () -> verifier().verifyAtLogin(idToken(b -> b.claim("at_hash", hash)), NONCE, accessToken),
        "at_hash");
  }

  @Test
  void anAtHashComputedWithTheWrongHashForTheAlgorithmIsRefused() {
    // RS384 needs SHA-384; a SHA-256 at_hash must not pass.
    String sha256Hash = AccessTokenHash.compute(accessToken, JWSAlgorithm.ES256, null).getValue();
    assertRefused(
        () ->
            verifier()
                .verifyAtLogin(
                    idToken(rsa, JWSAlgorithm.RS384, b -> b.claim("at_hash", sha256Hash)),
                    NONCE,
                    accessToken),
        "at_hash");
  }

  @Test
  void aMatchingAtHashOnAnEcSignedIdTokenIsAccepted() throws OidcErrorException {
    String hash = AccessTokenHash.compute(accessToken, JWSAlgorithm.ES256, null).getValue();
    assertThat(
            verifier()
                .verifyAtLogin(
                    idToken(ec, JWSAlgorithm.ES256, b -> b.claim("at_hash", hash)),
                    NONCE,
                    accessToken))
        .containsEntry("sub", "alice");
  }

  @Test
  void aMatchingAtHashOnAnEd25519SignedIdTokenIsAccepted() throws OidcErrorException {
    String hash =
        AccessTokenHash.compute(accessToken, JWSAlgorithm.EdDSA, Curve.Ed25519).getValue();
    assertThat(
            verifier()
                .verifyAtLogin(
                    idToken(ed, JWSAlgorithm.EdDSA, b -> b.claim("at_hash", hash)),
                    NONCE,
                    accessToken))
        .containsEntry("sub", "alice");
  }

  // --- signatures and algorithms ---

  @Test
  void anUnsignedAlgNoneIdTokenIsRefused() {
    String unsigned = new PlainJWT(validClaims().build()).serialize();
    assertRefused(
        () -> verifier().verifyAtLogin(unsigned, NONCE, accessToken), "malformed or unsigned");
  }

  @Test
  void anHs256IdTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    String forged = hs256WithPublicKey();
    assertRefused(
        () -> verifier().verifyAtLogin(forged, NONCE, accessToken), "algorithm is not accepted");
  }

  @Test
  void anHs256IdTokenIsRefusedEvenIfTheAllowListWereToNameHs256() throws Exception {
    String forged = hs256WithPublicKey();
    Set<JWSAlgorithm> careless = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.HS256);
    assertRefused(() -> verifier(careless).verifyAtLogin(forged, NONCE, accessToken), "key");
  }

  /** The algorithm-confusion attack: HMAC keyed with the provider's public RSA key. */
  private String hs256WithPublicKey() throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(),
            validClaims().build());
    byte[] secret = Base64URL.encode(rsa.toPublicJWK().toJSONString()).decode();
    jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, Math.max(32, secret.length))));
    return jwt.serialize();
  }

  @Test
  void anAlgorithmOutsideTheAllowListIsRefused() {
    String es256 = idToken(ec, JWSAlgorithm.ES256, b -> {});
    assertRefused(
        () -> verifier(Set.of(JWSAlgorithm.RS256)).verifyAtLogin(es256, NONCE, accessToken),
        "algorithm is not accepted");
  }

  @Test
  void anIdTokenSignedByAKeyNotInTheJwksIsRefused() {
    // Same kid as the provider's key, different key material.
    String forged = idToken(stranger, JWSAlgorithm.RS256, b -> {});
    assertRefused(() -> verifier().verifyAtLogin(forged, NONCE, accessToken), "signature");
  }

  @Test
  void anIdTokenWithAnUnknownKidIsRefused() {
    String token =
        TestIdp.sign(
            rsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("nobody").build(),
            validClaims().build());
    assertRefused(() -> verifier().verifyAtLogin(token, NONCE, accessToken), "unknown key");
  }

  @Test
  void aCriticalHeaderParameterIsRefused() {
    String token =
        TestIdp.sign(
            rsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(rsa.getKeyID())
                .criticalParams(Set.of("exp"))
                .customParam("exp", 1)
                .build(),
            validClaims().build());
    assertRefused(() -> verifier().verifyAtLogin(token, NONCE, accessToken), "critical");
  }

  @Test
  void aMalformedIdTokenIsRefused() {
    assertRefused(
        () -> verifier().verifyAtLogin("not.a.jwt", NONCE, accessToken), "malformed or unsigned");
  }

  // --- refreshed ID tokens (Core 12.2) ---

  @Test
  void aRefreshedIdTokenWithTheSameIssSubAndAudIsAcceptedWithoutNonce() throws Exception {
    IdTokenVerifier v = verifier();
    Map<String, Object> first = v.verifyAtLogin(idToken(b -> {}), NONCE, accessToken);
    clock.advance(Duration.ofMinutes(30));
    Map<String, Object> refreshed =
        v.verifyRefreshed(idToken(b -> b.claim("nonce", null)), first, accessToken);
    assertThat(refreshed).containsEntry("sub", "alice");
  }

  @Test
  void aRefreshedIdTokenForAnotherSubjectIsRefused() throws Exception {
    IdTokenVerifier v = verifier();
    Map<String, Object> first = v.verifyAtLogin(idToken(b -> {}), NONCE, accessToken);
    assertRefused(
        () -> v.verifyRefreshed(idToken(b -> b.subject("mallory")), first, accessToken),
        "changed its sub");
  }

  @Test
  void aRefreshedIdTokenIsCheckedLikeAnyOther() throws Exception {
    IdTokenVerifier v = verifier();
    Map<String, Object> first = v.verifyAtLogin(idToken(b -> {}), NONCE, accessToken);
    String expired = idToken(b -> {});
    clock.advance(Duration.ofHours(1));
    assertRefused(() -> v.verifyRefreshed(expired, first, accessToken), "expired");
  }
}
