package dev.oidcgate.oidc.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Validates a logout token as OpenID Connect Back-Channel Logout 1.0 §2.6 asks: a JWS (never
 * unsigned, never encrypted here) whose signature {@link SignatureCheck} accepts (algorithm
 * allow-list, keys only from the issuer's JWKS); {@code typ} {@code logout+jwt} when present;
 * {@code iss} exact; {@code aud} contains the client id; {@code iat} present and no older than the
 * configured age, nor in the future; {@code exp}, when present, not passed; {@code jti} present;
 * {@code events} with the back-channel logout member, an object; {@code sub} and/or {@code sid}; no
 * {@code nonce} (so an ID token is never a logout token). Replay of {@code jti} is the caller's
 * check. Every refusal is {@code invalid_request} (400), as §2.8 answers. Thread-safe.
 */
public final class LogoutTokenVerifier {

  /** The event a logout token must carry (§2.4). */
  public static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

  /** The longest logout token read at all. */
  public static final int MAX_LENGTH = 16_384;

  /** A verified logout token: whose session(s) to end. */
  public record LogoutToken(
      String issuer, Optional<String> subject, Optional<String> sid, String jti, Instant iat) {}

  private final SignatureCheck signature;
  private final String issuer;
  private final String clientId;
  private final Clock clock;
  private final Duration skew;
  private final Duration maxAge;

  public LogoutTokenVerifier(
      SignatureCheck signature,
      String issuer,
      String clientId,
      Clock clock,
      Duration skew,
      Duration maxAge) {
    this.signature = signature;
    this.issuer = issuer;
    this.clientId = clientId;
    this.clock = clock;
    this.skew = skew;
    this.maxAge = maxAge;
  }

  /** How long a {@code jti} must be remembered: as long as its token could still be accepted. */
  public Duration replayWindow() {
    return maxAge.plus(skew).plus(skew);
  }

  /**
   * @throws OidcErrorException 400 {@code invalid_request} naming what failed
   */
  public LogoutToken verify(@Nullable String token) throws OidcErrorException {
    if (token == null || token.isEmpty()) {
      throw refused("no logout_token");
    }
    if (token.length() > MAX_LENGTH) {
      throw refused("the logout token is too long");
    }
    SignedJWT jwt = parse(token);
    JOSEObjectType typ = jwt.getHeader().getType();
    if (typ != null && !isLogoutType(typ.getType())) {
      throw refused("the logout token's typ is not logout+jwt");
    }
    try {
      signature.verify(jwt, "logout token");
    } catch (OidcErrorException e) {
      if (e.error().status() == 503) {
        throw e; // the issuer's keys cannot be read now: the IdP may try again later
      }
      throw refused(e.error().description());
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refused("the logout token's claims do not parse");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw refused("the logout token is from another issuer");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(clientId)) {
      throw refused("the logout token is for another audience");
    }
    Instant iat = checkTimes(claims);
    Map<String, Object> all = claims.toJSONObject();
    if (all.containsKey("nonce")) {
      throw refused("a logout token must not carry a nonce");
    }
    Object events = all.get("events");
    if (!(events instanceof Map) || !(((Map<?, ?>) events).get(EVENT) instanceof Map)) {
      throw refused("the logout token has no back-channel logout event");
    }
    String jti = string(all, "jti").orElseThrow(() -> refused("the logout token has no jti"));
    Optional<String> sub = string(all, "sub");
    Optional<String> sid = string(all, "sid");
    if (sub.isEmpty() && sid.isEmpty()) {
      throw refused("the logout token names neither sub nor sid");
    }
    if ((all.containsKey("sub") && sub.isEmpty()) || (all.containsKey("sid") && sid.isEmpty())) {
      throw refused("the logout token's sub or sid is not a string");
    }
    return new LogoutToken(issuer, sub, sid, jti, iat);
  }

  private static SignedJWT parse(String token) throws OidcErrorException {
    if (!CanonicalCompact.isCanonical(token)) {
      throw refused("the logout token is not a JWT");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw refused("the logout token is not a JWT");
    }
    if (!(jwt instanceof SignedJWT)) {
      throw refused("the logout token is not signed");
    }
    return (SignedJWT) jwt;
  }

  private Instant checkTimes(JWTClaimsSet claims) throws OidcErrorException {
    Date iatDate = claims.getIssueTime();
    if (iatDate == null) {
      throw refused("the logout token has no iat");
    }
    Instant now = clock.instant();
    Instant iat = iatDate.toInstant();
    if (iat.isAfter(now.plus(skew))) {
      throw refused("the logout token is issued in the future");
    }
    if (iat.isBefore(now.minus(maxAge).minus(skew))) {
      throw refused("the logout token is too old");
    }
    Date exp = claims.getExpirationTime();
    if (exp != null && exp.toInstant().plus(skew).isBefore(now)) {
      throw refused("the logout token has expired");
    }
    return iat;
  }

  private static boolean isLogoutType(String typ) {
    return typ.equalsIgnoreCase("logout+jwt") || typ.equalsIgnoreCase("application/logout+jwt");
  }

  private static Optional<String> string(Map<String, Object> claims, String name) {
    Object v = claims.get(name);
    return v instanceof String && !((String) v).isEmpty()
        ? Optional.of((String) v)
        : Optional.empty();
  }

  private static OidcErrorException refused(String reason) {
    return OidcErrors.invalidRequest("Logout token refused: " + reason);
  }
}
