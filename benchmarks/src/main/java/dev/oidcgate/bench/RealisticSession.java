package dev.oidcgate.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.session.OidcSession;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A session as a login at Keycloak leaves it: RS256 ID and access tokens with the claims Keycloak
 * puts in by default (roles per realm and client, {@code sid}, {@code allowed-origins}, profile and
 * email claims), its HS512 refresh token (a JWT of about 700 characters) and the UserInfo claims.
 * The sizes follow tokens of a default Keycloak 26 realm.
 */
final class RealisticSession {

  static final String ISSUER = "https://sso.example.com/realms/acme";
  static final String CLIENT_ID = "orders-web";

  private RealisticSession() {}

  static OidcSession of(BenchIdp idp, String id) {
    Instant now = Instant.now();
    String subject = UUID.randomUUID().toString();
    String sid = UUID.randomUUID().toString();
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("email_verified", true);
    profile.put("name", "Alice Liddell-Hargreaves");
    profile.put("preferred_username", "alice.liddell");
    profile.put("given_name", "Alice");
    profile.put("family_name", "Liddell-Hargreaves");
    profile.put("email", "alice.liddell@example.com");

    JWTClaimsSet.Builder access = common(now, subject, sid, "Bearer");
    access
        .audience(List.of("orders-api", "account"))
        .claim("allowed-origins", List.of("https://orders.example.com"))
        .claim(
            "realm_access",
            Map.of(
                "roles",
                List.of(
                    "default-roles-acme", "offline_access", "uma_authorization", "orders-reader")))
        .claim(
            "resource_access",
            Map.of(
                "orders-api", Map.of("roles", List.of("read", "write")),
                "account",
                    Map.of(
                        "roles",
                        List.of("manage-account", "manage-account-links", "view-profile"))))
        .claim("scope", "openid profile email orders");
    profile.forEach(access::claim);

    JWTClaimsSet.Builder idToken = common(now, subject, sid, "ID");
    idToken.audience(CLIENT_ID).claim("nonce", random(32)).claim("at_hash", random(16));
    profile.forEach(idToken::claim);

    Map<String, Object> userInfo = new LinkedHashMap<>();
    userInfo.put("sub", subject);
    userInfo.putAll(profile);

    return new OidcSession(
        id,
        ISSUER,
        subject,
        idp.rs256(idToken.build()),
        idp.rs256(access.build()),
        refreshToken(now, subject, sid),
        now.plusSeconds(300),
        now,
        true,
        userInfo,
        now,
        now);
  }

  private static JWTClaimsSet.Builder common(Instant now, String subject, String sid, String typ) {
    return new JWTClaimsSet.Builder()
        .expirationTime(Date.from(now.plusSeconds(300)))
        .issueTime(Date.from(now))
        .claim("auth_time", now.getEpochSecond())
        .jwtID("onrtac:" + UUID.randomUUID())
        .issuer(ISSUER)
        .subject(subject)
        .claim("typ", typ)
        .claim("azp", CLIENT_ID)
        .claim("sid", sid)
        .claim("acr", "1");
  }

  /** Keycloak's refresh token: a JWT signed with the realm's HMAC key, for Keycloak alone. */
  private static String refreshToken(Instant now, String subject, String sid) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .expirationTime(Date.from(now.plusSeconds(1800)))
            .issueTime(Date.from(now))
            .jwtID(UUID.randomUUID().toString())
            .issuer(ISSUER)
            .audience(ISSUER)
            .subject(subject)
            .claim("typ", "Refresh")
            .claim("azp", CLIENT_ID)
            .claim("sid", sid)
            .claim("scope", "openid profile email orders web-origins acr roles basic")
            .build();
    try {
      byte[] key = new byte[64];
      new SecureRandom().nextBytes(key);
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS512).keyID(UUID.randomUUID().toString()).build(),
              claims);
      jwt.sign(new MACSigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
