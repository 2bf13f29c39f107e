package dev.oidcgate.oidc.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
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
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a JWT access token locally (RFC 9068, RFC 8725): the algorithm from an allow-list of
 * asymmetric ones, the signature with a key from the issuer's JWKS, no unknown {@code crit} header,
 * the {@code typ} where configured, then the claims. Thread-safe.
 */
public final class JwtAccessTokenValidator implements AccessTokenValidator {

  private static final Set<String> NEVER_ACCESS_TOKEN_TYPES = Set.of("logout+jwt", "id_token+jwt");

  private final JwksCache keys;
  private final Set<JWSAlgorithm> allowedAlgorithms;
  private final Set<String> requiredTypes;
  private final TokenClaimChecks checks;

  JwtAccessTokenValidator(JwksCache keys, Set<JWSAlgorithm> allowedAlgorithms,
      Set<JOSEObjectType> requiredTypes, TokenClaimChecks checks) {
    this.keys = keys;
    this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
    this.requiredTypes = requiredTypes.stream().map(t -> normalType(t.getType())).collect(Collectors.toSet());
    this.checks = checks;
  }

  @Override
  public VerifiedToken validate(String token) throws OidcErrorException {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw OidcErrors.invalidToken("The token is malformed");
    }
    JWSHeader header = jwt.getHeader();
    if (!allowedAlgorithms.contains(header.getAlgorithm())) {
      throw OidcErrors.invalidToken("The token's signing algorithm is not accepted");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw OidcErrors.invalidToken("The token has critical header parameters that are not understood");
    }
    checkType(header.getType());
    verifySignature(jwt);

    Map<String, Object> claims;
    try {
      claims = jwt.getJWTClaimsSet().toJSONObject();
    } catch (ParseException | RuntimeException e) {
      throw OidcErrors.invalidToken("The token's claims are malformed");
    }
    Instant exp = checks.check(claims, true);
    return new VerifiedToken(claims, exp, exp);
  }

  private void checkType(JOSEObjectType type) throws OidcErrorException {
    String typ = type == null ? null : normalType(type.getType());
    if (typ != null && NEVER_ACCESS_TOKEN_TYPES.contains(typ)) {
      throw OidcErrors.invalidToken("The token is not an access token");
    }
    if (!requiredTypes.isEmpty() && (typ == null || !requiredTypes.contains(typ))) {
      throw OidcErrors.invalidToken("The token's type is not accepted");
    }
  }

  private void verifySignature(SignedJWT jwt) throws OidcErrorException {
    List<JWK> candidates = keys.candidates(jwt.getHeader());
    if (candidates.isEmpty()) {
      throw OidcErrors.invalidToken("The token is signed with an unknown key");
    }
    for (JWK key : candidates) {
      try {
        JWSVerifier verifier = verifierFor(key);
        if (verifier != null && jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException | IllegalStateException e) {
        // A key that cannot check this token is just not the one; try the next.
      }
    }
    throw OidcErrors.invalidToken("The token signature is invalid");
  }

  private static JWSVerifier verifierFor(JWK key) throws JOSEException {
    if (key instanceof RSAKey) {
      return new RSASSAVerifier((RSAKey) key);
    }
    if (key instanceof ECKey) {
      return new ECDSAVerifier((ECKey) key);
    }
    if (key instanceof OctetKeyPair && Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
      return new Ed25519Verifier((OctetKeyPair) key);
    }
    return null;
  }

  /** RFC 8725 §3.11 / RFC 9068 §2.1: {@code at+jwt} and {@code application/at+jwt} are the same. */
  private static String normalType(String typ) {
    String t = typ.toLowerCase(Locale.ROOT);
    return t.startsWith("application/") ? t.substring("application/".length()) : t;
  }
}
