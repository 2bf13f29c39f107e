package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.authz.PathAccess;
import dev.oidcgate.oidc.config.Credential;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.token.DpopProofs;
import dev.oidcgate.oidc.web.BearerTokenResolver;
import dev.oidcgate.oidc.web.DpopCredentialResolver;
import dev.oidcgate.oidc.web.OtherBearerSources;
import dev.oidcgate.oidc.web.ServletSessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the request's caller: the credentials in the configured order, a session of any issuer that
 * may log in, then a bearer token checked by its issuer's gate. Immutable and thread-safe.
 */
final class Credentials {

  private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

  /** The rule for a caller of an issuer the path's rules do not admit. */
  private static final AccessRule NOT_ADMITTED =
      claims -> Optional.of("The access rules here do not admit callers of this issuer");

  /**
   * A caller, the session it came from (null for a bearer token) and its access token (the
   * session's, or the bearer token).
   */
  record Found(Caller caller, @Nullable OidcSession session, String accessToken) {

    /** The same caller and credential, with other identity headers. */
    Found withCaller(Caller other) {
      return new Found(other, session, accessToken);
    }
  }

  private final IssuerGates gates;
  private final List<Credential> order;
  private final boolean sessions;
  private final BearerTokenResolver tokens = new BearerTokenResolver();
  private final OtherBearerSources otherTokens;
  private final @Nullable DpopCredentialResolver dpopTokens;

  Credentials(
      IssuerGates gates, List<Credential> order, boolean sessions, OtherBearerSources other) {
    this(gates, order, sessions, other, null);
  }

  /**
   * @param dpop finds {@code Authorization: DPoP} tokens with their proofs; null to treat that
   *     scheme like any other unknown one
   */
  Credentials(
      IssuerGates gates,
      List<Credential> order,
      boolean sessions,
      OtherBearerSources other,
      @Nullable DpopCredentialResolver dpop) {
    this.dpopTokens = dpop;
    this.gates = gates;
    this.order = List.copyOf(order);
    this.sessions = sessions;
    this.otherTokens = other;
  }

  /** Whether {@code Authorization: DPoP} tokens are looked for ({@code dpopTokens} not refuse). */
  boolean looksForDpopTokens() {
    return dpopTokens != null;
  }

  /**
   * The caller from the session or the bearer token; null when the request carries neither.
   *
   * @param request the request as it came: the credentials are in headers the app never sees
   * @param access what the request's path demands, on top of the filter-wide rules
   */
  @Nullable Found find(HttpServletRequest request, ServletSessionCookies cookies, PathAccess access)
      throws OidcErrorException {
    try {
      for (Credential credential : order) {
        if (credential == Credential.SESSION && sessions) {
          Optional<IssuerGates.Signed> signed = gates.current(cookies);
          if (signed.isPresent()) {
            OidcSession session = signed.get().session();
            OidcGate gate = signed.get().gate();
            return new Found(
                gate.authenticateSession(session, ruleAt(gate, access)),
                session,
                session.accessToken());
          }
        } else if (credential == Credential.BEARER) {
          String token = tokens.resolve(request);
          String other = otherTokens.resolve(request);
          if (token != null && other != null) {
            throw OidcErrors.invalidRequest("More than one bearer token"); // RFC 6750 §2
          }
          token = token != null ? token : other;
          if (token != null) {
            OidcGate gate = gates.forBearer(token);
            return new Found(
                gate.authenticateBearer(
                    token, DpopProofs.Presentation.BEARER, ruleAt(gate, access)),
                null,
                token);
          }
          DpopCredentialResolver.Found dpop =
              dpopTokens == null ? null : dpopTokens.resolve(request);
          if (dpop != null) {
            OidcGate gate = gates.forBearer(dpop.token());
            return new Found(
                gate.authenticateBearer(dpop.token(), dpop.presentation(), ruleAt(gate, access)),
                null,
                dpop.token());
          }
        }
      }
      return null;
    } catch (RuntimeException e) {
      // A bug must not become a 500 with a stack trace, nor let the request through. The
      // exception's message is left out of the log: library messages sometimes quote the input.
      String more = RepeatedFailures.admit(LOG, "authentication failed unexpectedly", e.getClass());
      if (more != null) {
        LOG.error(
            "Unexpected {} while authenticating a request at {}{}",
            e.getClass().getName(),
            e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?",
            more);
      }
      throw OidcErrors.invalidToken("The credential could not be validated");
    }
  }

  /**
   * The DPoP nonce to send with a refusal of this request's DPoP proof, from the gate of its
   * token's issuer ({@code dpopNonce=on}).
   */
  Optional<String> dpopNonce(HttpServletRequest request) {
    try {
      DpopCredentialResolver.Found dpop = dpopTokens == null ? null : dpopTokens.resolve(request);
      return dpop == null ? Optional.empty() : gates.forBearer(dpop.token()).dpopNonce();
    } catch (OidcErrorException e) {
      return Optional.empty();
    }
  }

  /** The path's rule for a caller verified at {@code gate}'s issuer: refused if not admitted. */
  private static AccessRule ruleAt(OidcGate gate, PathAccess access) {
    return access.issuers().admits(gate.issuer()) ? access.rule() : NOT_ADMITTED;
  }
}
