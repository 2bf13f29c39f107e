package dev.oidcgate.oidc.login;

import dev.oidcgate.oidc.cluster.LogoutRecords;
import dev.oidcgate.oidc.cluster.ReplayGuard;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.SessionStoreException;
import dev.oidcgate.oidc.token.LogoutTokenVerifier;
import dev.oidcgate.oidc.token.LogoutTokenVerifier.LogoutToken;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect Back-Channel Logout 1.0, without servlet types: the IdP posts a logout token; a
 * valid one, never seen before on any node, writes a logout record that ends the sessions it names
 * on every node ({@code sid}: that IdP session; {@code sub} alone: every session of the subject
 * made until now). Anything else ends nothing. Thread-safe.
 */
public final class BackchannelLogout {

  private static final Logger LOG = LoggerFactory.getLogger(BackchannelLogout.class);

  private final LogoutTokenVerifier verifier;
  private final ReplayGuard replays;
  private final LogoutRecords records;
  private final Clock clock;

  public BackchannelLogout(
      LogoutTokenVerifier verifier, ReplayGuard replays, LogoutRecords records, Clock clock) {
    this.verifier = verifier;
    this.replays = replays;
    this.records = records;
    this.clock = clock;
  }

  /**
   * Ends the sessions a logout token names.
   *
   * @param logoutToken the {@code logout_token} form field, or null
   * @throws OidcErrorException 400 for a token that is invalid or replayed, 503 when the shared
   *     state cannot be reached
   */
  public void handle(@Nullable String logoutToken) throws OidcErrorException {
    LogoutToken token;
    try {
      token = verifier.verify(logoutToken);
    } catch (RuntimeException e) {
      // Hostile JSON can make a parser throw what it should not; refused like any bad token.
      throw OidcErrors.invalidRequest("Logout token refused: malformed");
    } catch (OidcErrorException e) {
      LOG.info("{}", e.error().description());
      throw e;
    }
    try {
      // The logout is recorded before the jti: a store failure between the two answers 503 and
      // leaves the jti unused, so the IdP's retry is accepted (recorded first, the retry would be
      // refused as a replay and the sessions never end). Writing a record again only ends the
      // same sessions again; a replay after a complete logout is refused by the first check.
      if (replays.isUsed(token.issuer(), token.jti())) {
        throw replayed();
      }
      if (token.sid().isPresent()) {
        records.endSid(token.issuer(), token.sid().get(), token.subject(), clock.instant());
      } else {
        records.endSubject(token.issuer(), token.subject().orElseThrow(), clock.instant());
      }
      if (!replays.firstUse(token.issuer(), token.jti(), verifier.replayWindow())) {
        throw replayed(); // the same token at the same moment on another request
      }
    } catch (SessionStoreException e) {
      String more = RepeatedFailures.admit(LOG, "back-channel logout not recorded", null);
      if (more != null) {
        LOG.error("A back-channel logout could not be recorded: {}{}", e.getMessage(), more);
      }
      throw OidcErrors.providerUnavailable("Sessions are unavailable", 5);
    }
    LOG.info(
        "Back-channel logout for subject {}",
        token.subject().orElse(token.sid().isPresent() ? "(by sid)" : "?"));
  }

  private static OidcErrorException replayed() {
    LOG.info("Refused a back-channel logout: its jti was used before");
    return OidcErrors.invalidRequest("Logout token refused: already used");
  }
}
