package dev.oidcgate.oidc.idp;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import java.time.Instant;
import java.util.Date;

/** Reads a successful token response into a {@link TokenSet}. */
final class TokenSets {

  private TokenSets() {}

  static TokenSet of(AccessTokenResponse success) {
    String idToken =
        success instanceof OIDCTokenResponse
            ? ((OIDCTokenResponse) success).getOIDCTokens().getIDTokenString()
            : null;
    AccessToken at = success.getTokens().getAccessToken();
    Instant jwtExpiry = null;
    try {
      Date exp = JWTParser.parse(at.getValue()).getJWTClaimsSet().getExpirationTime();
      jwtExpiry = exp == null ? null : exp.toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      // an opaque access token: its lifetime is what expires_in says
    }
    Token rt = success.getTokens().getRefreshToken();
    return new TokenSet(
        at, rt == null ? null : rt.getValue(), idToken, at.getLifetime(), jwtExpiry);
  }
}
