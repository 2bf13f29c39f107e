package dev.oidcgate.oidc.login;

import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.StoredTokenClaims;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The claims the app sees for a session. */
public final class SessionClaims {

  private static final Logger LOG = LoggerFactory.getLogger(SessionClaims.class);

  private SessionClaims() {}

  /**
   * The access token's claims (when it was verified at login or refresh), then UserInfo's, then the
   * ID token's; a later source wins on a name both carry.
   */
  public static Map<String, Object> of(OidcSession session) {
    Map<String, Object> claims = new LinkedHashMap<>();
    try {
      if (session.accessTokenVerified()) {
        claims.putAll(StoredTokenClaims.of(session.accessToken()));
      }
      claims.putAll(session.userInfo());
      claims.putAll(StoredTokenClaims.of(session.idToken()));
    } catch (java.text.ParseException e) {
      // Sealed by us at login; cannot happen unless the key was shared with someone careless.
      String more = RepeatedFailures.admit(LOG, "session tokens unparsable", null);
      if (more != null) {
        LOG.warn("A session's tokens do not parse{}", more);
      }
    }
    return claims;
  }
}
