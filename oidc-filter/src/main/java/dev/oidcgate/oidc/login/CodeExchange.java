package dev.oidcgate.oidc.login;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.idp.DpopKey;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.TokenSet;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.token.IdTokenVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a login at the callback: exchanges the code with the PKCE verifier (with a new DPoP
 * key when {@code dpop=on}), verifies the ID token, reads UserInfo when asked, and stores the new
 * session in place of the browser's previous one. Thread-safe.
 */
final class CodeExchange {

  // Log lines keep LoginFlow's category, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(LoginFlow.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final IdpClient idp;
  private final IdTokenVerifier idTokens;
  private final AccessTokenInspector accessTokens;
  private final SessionKeeper sessions;
  private final LoginSettings settings;
  private final Clock clock;
  private final boolean dpop;

  CodeExchange(
      IdpClient idp,
      IdTokenVerifier idTokens,
      AccessTokenInspector accessTokens,
      SessionKeeper sessions,
      LoginSettings settings,
      Clock clock,
      boolean dpop) {
    this.idp = idp;
    this.idTokens = idTokens;
    this.accessTokens = accessTokens;
    this.sessions = sessions;
    this.settings = settings;
    this.clock = clock;
    this.dpop = dpop;
  }

  /**
   * @throws OidcErrorException 400 with a short reason when the response must be refused, 503 when
   *     the provider or the session store cannot be reached
   */
  LoginFlow.Result exchange(
      LoginTransaction login,
      Map<String, String> params,
      Optional<OidcSession> previous,
      SessionCookies cookies)
      throws OidcErrorException {
    String code = params.get("code");
    // Blank as Nimbus's AuthorizationCode sees it (String.trim), which would throw instead.
    if (code == null || code.trim().isEmpty()) {
      throw OidcErrors.invalidRequest("The login response has no code");
    }
    // dpop=on: the session's own key pair, made for its first token request (RFC 9449 §5).
    DpopKey dpopKey = dpop ? DpopKey.generate() : null;
    TokenSet tokens =
        idp.requestTokens(
            new AuthorizationCodeGrant(
                new AuthorizationCode(code),
                URI.create(login.redirectUri()),
                new CodeVerifier(login.codeVerifier())),
            "code exchange",
            dpopKey);
    if (tokens.idToken() == null) {
      throw OidcErrors.invalidRequest("The identity provider sent no ID token");
    }
    Map<String, Object> idClaims;
    try {
      idClaims = idTokens.verifyAtLogin(tokens.idToken(), login.nonce(), tokens.accessToken());
    } catch (OidcErrorException e) {
      String more = RepeatedFailures.admit(LOG, "ID token refused at login", null);
      if (more != null) {
        LOG.warn("Refused an ID token at login: {}{}", e.error().description(), more);
      }
      throw OidcErrors.invalidRequest(e.error().description());
    }
    // The ID token verifier refuses a token without a subject.
    String subject = (String) Objects.requireNonNull(idClaims.get("sub"), "sub");
    Map<String, Object> userInfo =
        settings.userInfo() ? userInfo(tokens, subject, dpopKey) : Map.of();
    Instant now = clock.instant();
    OidcSession session =
        new OidcSession(
            newSessionId(),
            login.issuer(),
            subject,
            tokens.idToken(),
            tokens.accessToken().getValue(),
            tokens.refreshToken(),
            tokens.expiresAt(now),
            now,
            accessTokens.isReadable(tokens.accessToken().getValue()),
            userInfo,
            now,
            now);
    if (dpopKey != null) {
      session = session.withDpop(dpopKey.toJson(), tokens.dpopBound());
    }
    sessions.replace(previous, session, cookies);
    return new LoginFlow.Result(session, login.returnUrl(), login.preservedPost());
  }

  private Map<String, Object> userInfo(TokenSet tokens, String subject, @Nullable DpopKey dpopKey)
      throws OidcErrorException {
    Map<String, Object> info = idp.userInfo(tokens.accessToken(), dpopKey);
    // OIDC Core §5.3.2: otherwise the response may belong to someone else.
    if (!info.isEmpty() && !subject.equals(info.get("sub"))) {
      throw OidcErrors.invalidRequest("The UserInfo response is for another subject");
    }
    return info;
  }

  private static String newSessionId() {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }
}
