package dev.oidcgate.oidc.login;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.idp.DpopKey;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.TokenSet;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.token.IdTokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refresh grant (RFC 6749 §6) for a session: new tokens, a refreshed ID token checked against
 * the one it replaces (OIDC Core §12.2). Thread-safe; {@link SessionKeeper} makes it single-flight.
 */
final class TokenRefresher implements SessionKeeper.Refresher {

  private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);

  private final IdpClient idp;
  private final IdTokenVerifier idTokens;
  private final AccessTokenInspector accessTokens;
  private final Clock clock;

  TokenRefresher(
      IdpClient idp, IdTokenVerifier idTokens, AccessTokenInspector accessTokens, Clock clock) {
    this.idp = idp;
    this.idTokens = idTokens;
    this.accessTokens = accessTokens;
    this.clock = clock;
  }

  @Override
  public OidcSession refresh(OidcSession session) throws OidcErrorException {
    TokenSet tokens;
    try {
      tokens =
          idp.requestTokens(
              new RefreshTokenGrant(new RefreshToken(session.refreshToken())),
              "refresh",
              DpopKey.ofSession(session.dpopKey()));
    } catch (OidcErrorException e) {
      LOG.info("Token refresh failed: {}", e.error().description());
      throw e;
    }
    if (tokens.idToken() != null) {
      Map<String, Object> previous;
      try {
        previous = SignedJWT.parse(session.idToken()).getJWTClaimsSet().toJSONObject();
      } catch (java.text.ParseException e) {
        throw OidcErrors.invalidToken("The session's ID token does not parse");
      }
      idTokens.verifyRefreshed(tokens.idToken(), previous, tokens.accessToken());
    }
    Instant now = clock.instant();
    OidcSession refreshed =
        session.refreshed(
            tokens.idToken(),
            tokens.accessToken().getValue(),
            tokens.refreshToken(),
            tokens.expiresAt(now),
            accessTokens.isReadable(tokens.accessToken().getValue()),
            now);
    return session.dpopKey() == null
        ? refreshed
        : refreshed.withDpop(session.dpopKey(), tokens.dpopBound());
  }
}
