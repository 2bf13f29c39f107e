package dev.oidcgate.oidc;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.identity.Callers;
import dev.oidcgate.oidc.idp.GroupsOverage;
import dev.oidcgate.oidc.login.SessionClaims;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.token.AccessTokenValidator;
import dev.oidcgate.oidc.token.DpopProofs;
import dev.oidcgate.oidc.token.VerifiedToken;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The per-request work of an {@link OidcGate}: a bearer token or a session becomes a {@link
 * Caller}, after the token checks, the DPoP binding, groups overage and the access rules; refusals
 * are reported to the event listener. Thread-safe.
 */
final class CallerChecks {

  private final AccessRule filterRule;
  private final SafeEvents events;
  private final ProviderMetadataSource provider;
  private final AccessTokenValidator validator;
  private final Callers callers;
  private final GroupsOverage groupsOverage;
  private final @Nullable DpopProofs dpop;

  CallerChecks(AccessRule filterRule, GateAssembly parts) {
    this.filterRule = filterRule;
    this.events = parts.events;
    this.provider = parts.provider;
    this.validator = parts.validator;
    this.callers = parts.callers;
    this.groupsOverage = parts.groupsOverage;
    this.dpop = parts.dpop;
  }

  /** See {@link OidcGate#authenticateBearer(String, DpopProofs.Presentation, AccessRule)}. */
  Caller bearer(String token, DpopProofs.@Nullable Presentation presented, AccessRule pathRule)
      throws OidcErrorException {
    if (presented != null && presented.dpopScheme() && dpop == null) {
      throw OidcErrors.invalidToken("DPoP-bound tokens are not accepted here");
    }
    provider.current(); // 503 before anything else while the provider was never reached
    VerifiedToken verified;
    try {
      verified = validator.validate(token);
    } catch (OidcErrorException e) {
      if (e.error().status() == 401) {
        events.fire(l -> l.validationFailed(e.error().code(), e.error().description()));
      }
      throw e;
    }
    checkBinding(token, presented, verified.claims());
    Map<String, Object> claims = groupsOverage.resolve(verified.claims());
    Object sub = claims.get("sub");
    requireAllowed(claims, sub instanceof String ? (String) sub : null, pathRule);
    return callers.forBearer(token, claims);
  }

  private void checkBinding(
      String token, DpopProofs.@Nullable Presentation presented, Map<String, Object> claims)
      throws OidcErrorException {
    try {
      if (dpop != null) {
        dpop.check(token, presented != null ? presented : DpopProofs.Presentation.BEARER, claims);
      } else if (DpopProofs.thumbprint(claims) != null) {
        throw OidcErrors.invalidToken("DPoP-bound tokens are not accepted here");
      }
    } catch (OidcErrorException e) {
      if (e.error().status() == 401) {
        events.fire(l -> l.validationFailed(e.error().code(), e.error().description()));
      }
      throw e;
    }
  }

  /** See {@link OidcGate#authenticateSession(OidcSession, AccessRule)}. */
  Caller session(OidcSession session, AccessRule pathRule) throws OidcErrorException {
    Map<String, Object> claims = groupsOverage.resolve(SessionClaims.of(session));
    requireAllowed(claims, session.subject(), pathRule);
    return callers.forSession(session, claims);
  }

  private void requireAllowed(
      Map<String, Object> claims, @Nullable String subject, AccessRule pathRule)
      throws OidcErrorException {
    Optional<String> denied = filterRule.and(pathRule).deny(claims);
    if (denied.isPresent()) {
      events.fire(l -> l.accessDenied(subject, denied.get()));
      throw OidcErrors.insufficientScope(denied.get());
    }
  }
}
