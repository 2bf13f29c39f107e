package dev.oidcgate.oidc.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.provider.JwksCache;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a JWS the way RFC 8725 asks, for access tokens and ID tokens alike: the algorithm from an
 * allow-list of asymmetric ones (never {@code none}, never HMAC keyed with a public key), no {@code
 * crit} header we do not understand, and a signature made by a key from the issuer's JWKS
 * (header-supplied {@code jku}/{@code x5u}/{@code jwk}/{@code x5c} are ignored). A JWS without
 * {@code kid} is accepted only when exactly one key fits its algorithm; with several it is refused
 * as ambiguous. Several keys with the token's {@code kid} (one id reused across key types) are each
 * tried.
 *
 * <p>Each key's verifier (the JWK turned into a Java public key) is made once and kept while that
 * key object is in use: a new token costs the signature check alone, not a parse of the key's
 * modulus per call. The cache is keyed by the JWK object's identity, so a refetched key set, even
 * one that reuses a {@code kid} for a new key, gets verifiers of its own. It is bounded: keys of
 * dropped key sets leave it even if something still pins them. Thread-safe.
 */
public final class SignatureCheck {

  private final JwksCache keys;
  private final Set<JWSAlgorithm> allowedAlgorithms;

  /**
   * Far more keys than the issuers of one filter publish at a time (a few each, ten or so at
   * Microsoft); past it a verifier is only made again.
   */
  static final int MAX_VERIFIERS = 64;

  /**
   * Weak keys: compared by identity, and gone with the key set they came from. The bound is what
   * guarantees that: a verifier that holds its key (Nimbus's {@code Ed25519Verifier} does) keeps a
   * weak key reachable for good, one entry per key-set fetch. Maintenance runs on the caller's
   * thread; it is a few pointer updates, cheaper than waking a pool thread for it.
   */
  private final Cache<JWK, JWSVerifier> verifiers =
      Caffeine.newBuilder().weakKeys().maximumSize(MAX_VERIFIERS).executor(Runnable::run).build();

  public SignatureCheck(JwksCache keys, Set<JWSAlgorithm> allowedAlgorithms) {
    this.keys = keys;
    this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
  }

  /**
   * @param what "token" or "ID token", for the error description
   * @throws OidcErrorException {@code invalid_token} when the JWS does not pass
   */
  public void verify(SignedJWT jwt, String what) throws OidcErrorException {
    JWSHeader header = jwt.getHeader();
    if (!allowedAlgorithms.contains(header.getAlgorithm())) {
      throw OidcErrors.invalidToken("The " + what + "'s signing algorithm is not accepted");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw OidcErrors.invalidToken(
          "The " + what + " has critical header parameters that are not understood");
    }
    List<JWK> candidates = keys.candidates(header);
    if (candidates.isEmpty()) {
      throw OidcErrors.invalidToken("The " + what + " is signed with an unknown key");
    }
    if (header.getKeyID() == null && candidates.size() > 1) {
      // Without a kid, "whichever key verifies" costs a signature check per key for each forged
      // token and lets a key published for another purpose vouch for it. Providers that leave out
      // the kid publish one key; several keys without a kid to choose is a setup to refuse.
      throw OidcErrors.invalidToken(
          "The " + what + " has no key id and more than one key could have signed it");
    }
    for (JWK key : candidates) {
      try {
        JWSVerifier verifier = verifiers.getIfPresent(key);
        if (verifier == null) {
          verifier = verifierFor(key);
          if (verifier != null) {
            verifiers.put(key, verifier);
          }
        }
        if (verifier != null && jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException | IllegalStateException e) {
        // A key that cannot check this JWS is just not the one; try the next.
      }
    }
    throw OidcErrors.invalidToken("The " + what + " signature is invalid");
  }

  /** How many verifiers are kept now, after pending evictions. */
  int cachedVerifiers() {
    verifiers.cleanUp();
    return (int) verifiers.estimatedSize();
  }

  private static @Nullable JWSVerifier verifierFor(JWK key) throws JOSEException {
    if (key instanceof RSAKey) {
      return new RSASSAVerifier((RSAKey) key);
    }
    if (key instanceof ECKey) {
      return new ECDSAVerifier((ECKey) key);
    }
    if (key instanceof OctetKeyPair && Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
      // A copy: the verifier keeps the key it is given, which must not be the cache's weak key.
      return new Ed25519Verifier(((OctetKeyPair) key).toPublicJWK());
    }
    return null;
  }
}
