package dev.oidcgate.oidc.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.text.ParseException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a JWT access token locally (RFC 9068): the {@code typ} where configured, the signature
 * ({@link SignatureCheck}), the claims ({@link TokenClaimChecks}), then that it is not an ID token
 * of this client ({@link AccessTokenShape}). Thread-safe.
 */
public final class JwtAccessTokenValidator implements AccessTokenValidator {

  private static final Set<String> NEVER_ACCESS_TOKEN_TYPES = Set.of("logout+jwt", "id_token+jwt");

  private final SignatureCheck signature;
  private final Set<String> requiredTypes;
  private final TokenClaimChecks checks;
  private final AccessTokenShape shape;

  JwtAccessTokenValidator(
      SignatureCheck signature,
      Set<JOSEObjectType> requiredTypes,
      TokenClaimChecks checks,
      AccessTokenShape shape) {
    this.signature = signature;
    this.requiredTypes =
        requiredTypes.stream().map(t -> normalType(t.getType())).collect(Collectors.toSet());
    this.checks = checks;
    this.shape = shape;
  }

  @Override
  public VerifiedToken validate(String token) throws OidcErrorException {
    if (!CanonicalCompact.isCanonical(token)) {
      throw OidcErrors.invalidToken("The token is malformed");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw OidcErrors.invalidToken("The token is malformed");
    }
    checkType(jwt.getHeader().getType());
    signature.verify(jwt, "token");

    Map<String, Object> claims;
    try {
      claims = jwt.getJWTClaimsSet().toJSONObject();
    } catch (ParseException | RuntimeException e) {
      throw OidcErrors.invalidToken("The token's claims are malformed");
    }
    // check(.., true) refuses a token without exp, so it is never null here.
    Instant exp = Objects.requireNonNull(checks.check(claims, true), "exp");
    shape.require(jwt.getHeader().getType(), claims);
    return new VerifiedToken(claims, exp, exp);
  }

  private void checkType(@Nullable JOSEObjectType type) throws OidcErrorException {
    String typ = type == null ? null : normalType(type.getType());
    if (typ != null && NEVER_ACCESS_TOKEN_TYPES.contains(typ)) {
      throw OidcErrors.invalidToken("The token is not an access token");
    }
    if (!requiredTypes.isEmpty() && (typ == null || !requiredTypes.contains(typ))) {
      throw OidcErrors.invalidToken("The token's type is not accepted");
    }
  }

  /** RFC 8725 §3.11 / RFC 9068 §2.1: {@code at+jwt} and {@code application/at+jwt} are the same. */
  private static String normalType(String typ) {
    String t = typ.toLowerCase(Locale.ROOT);
    return t.startsWith("application/") ? t.substring("application/".length()) : t;
  }
}
