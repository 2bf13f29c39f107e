package dev.oidcgate.oidc.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Validates ID tokens as OpenID Connect Core §3.1.3.7 asks: signature ({@link SignatureCheck}),
 * {@code iss} exact (or Entra's tenant template, {@link IssuerRule}), {@code aud} contains the
 * client id and, with other audiences, {@code azp} is the client id; {@code exp}, {@code iat} and
 * {@code sub} present and {@code exp}/{@code iat} in time; {@code nonce} equal to the login's;
 * {@code at_hash} checked where present. A refreshed ID token (§12.2) must keep {@code iss}, {@code
 * sub} and {@code aud}. Thread-safe.
 */
public final class IdTokenVerifier {

  private final SignatureCheck signature;
  private final IssuerRule issuer;
  private final String clientId;
  private final Clock clock;
  private final Duration skew;

  public IdTokenVerifier(
      SignatureCheck signature, String issuer, String clientId, Clock clock, Duration skew) {
    this(signature, IssuerRule.exactly(issuer), clientId, clock, skew);
  }

  /** With {@code issuer}'s tenant template when the issuer is a multi-tenant endpoint. */
  public IdTokenVerifier(
      SignatureCheck signature, IssuerRule issuer, String clientId, Clock clock, Duration skew) {
    this.signature = signature;
    this.issuer = issuer;
    this.clientId = clientId;
    this.clock = clock;
    this.skew = skew;
  }

  /**
   * @param nonce the nonce the login sent
   * @param accessToken the access token from the same response, for {@code at_hash}
   * @return the verified claims
   * @throws OidcErrorException {@code invalid_token} naming what failed
   */
  public Map<String, Object> verifyAtLogin(String idToken, String nonce, AccessToken accessToken)
      throws OidcErrorException {
    SignedJWT jwt = parse(idToken);
    Map<String, Object> claims = verified(jwt, accessToken);
    if (!Objects.equals(nonce, claims.get("nonce"))) {
      throw OidcErrors.invalidToken("The ID token's nonce does not match the login");
    }
    return claims;
  }

  /**
   * @param previous the claims of the ID token the session holds
   * @throws OidcErrorException when the new ID token is invalid or names another issuer, subject or
   *     audience
   */
  public Map<String, Object> verifyRefreshed(
      String idToken, Map<String, Object> previous, AccessToken accessToken)
      throws OidcErrorException {
    Map<String, Object> claims = verified(parse(idToken), accessToken);
    for (String name : List.of("iss", "sub", "aud")) {
      if (!sameValue(claims.get(name), previous.get(name))) {
        throw OidcErrors.invalidToken("The refreshed ID token changed its " + name);
      }
    }
    return claims;
  }

  private Map<String, Object> verified(SignedJWT jwt, AccessToken accessToken)
      throws OidcErrorException {
    signature.verify(jwt, "ID token");
    Map<String, Object> claims;
    try {
      claims = jwt.getJWTClaimsSet().toJSONObject();
    } catch (ParseException e) {
      throw OidcErrors.invalidToken("The ID token's claims are malformed");
    }
    if (!issuer.accepts(claims, true)) {
      throw OidcErrors.invalidToken("The ID token was not issued by the expected issuer");
    }
    Object aud = claims.get("aud");
    List<?> audiences =
        aud instanceof Collection
            ? List.copyOf((Collection<?>) aud)
            : aud == null ? List.of() : List.of(aud);
    if (!audiences.contains(clientId)) {
      throw OidcErrors.invalidToken("The ID token is not meant for this client");
    }
    Object azp = claims.get("azp");
    if ((audiences.size() > 1 || azp != null) && !clientId.equals(azp)) {
      throw OidcErrors.invalidToken("The ID token's authorized party is not this client");
    }
    Object sub = claims.get("sub");
    if (!(sub instanceof String) || ((String) sub).isEmpty()) {
      throw OidcErrors.invalidToken("The ID token has no subject");
    }
    Instant now = clock.instant();
    Instant exp = seconds(claims.get("exp"), "exp");
    Instant iat = seconds(claims.get("iat"), "iat");
    if (now.isAfter(exp.plus(skew))) {
      throw OidcErrors.invalidToken("The ID token has expired");
    }
    if (iat.isAfter(now.plus(skew))) {
      throw OidcErrors.invalidToken("The ID token was issued in the future");
    }
    Object atHash = claims.get("at_hash");
    if (atHash != null && accessToken != null) {
      JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
      // For EdDSA the hash follows the curve (SHA-512 for Ed25519, the only one Nimbus verifies).
      Curve curve =
          JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg) ? Curve.Ed25519 : null;
      AccessTokenHash expected = AccessTokenHash.compute(accessToken, alg, curve);
      if (expected == null || !expected.getValue().equals(atHash)) {
        throw OidcErrors.invalidToken("The ID token's at_hash does not match the access token");
      }
    }
    return claims;
  }

  private static SignedJWT parse(String idToken) throws OidcErrorException {
    try {
      return SignedJWT.parse(idToken);
    } catch (ParseException | RuntimeException e) {
      throw OidcErrors.invalidToken("The ID token is malformed or unsigned");
    }
  }

  private static Instant seconds(@Nullable Object value, String name) throws OidcErrorException {
    if (value instanceof Number) {
      return Instant.ofEpochSecond(((Number) value).longValue());
    }
    throw OidcErrors.invalidToken("The ID token has no valid " + name);
  }

  private static boolean sameValue(@Nullable Object a, @Nullable Object b) {
    if (a instanceof Collection && b instanceof Collection) {
      return List.copyOf((Collection<?>) a).equals(List.copyOf((Collection<?>) b));
    }
    if (a instanceof Collection && ((Collection<?>) a).size() == 1) {
      return ((Collection<?>) a).contains(b);
    }
    if (b instanceof Collection && ((Collection<?>) b).size() == 1) {
      return ((Collection<?>) b).contains(a);
    }
    return Objects.equals(a, b);
  }
}
