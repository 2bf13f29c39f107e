package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.authz.PathAccess;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.RequestPolicy;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * Finds the caller (the session, then a bearer token, in the configured order) and checks the
 * access rules: the filter-wide ones and the path's, none on a public path, each for the callers of
 * the issuers it admits. A refused credential is answered here, except on a public path, which
 * works for anyone. The caller found, or none, is left for the steps after it.
 */
final class CredentialsStep implements RequestStep {

  private final Credentials credentials;
  private final RequestPolicy policy;
  private final ErrorResponder errors;

  CredentialsStep(Credentials credentials, RequestPolicy policy, ErrorResponder errors) {
    this.credentials = credentials;
    this.policy = policy;
    this.errors = errors;
  }

  /** How the caller is found (tests read whether DPoP tokens are looked for). */
  Credentials credentials() {
    return credentials;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException, ServletException {
    HttpServletRequest request = exchange.request();
    boolean isPublic = policy.isPublic(request);
    Credentials.Found caller;
    try {
      caller =
          credentials.find(
              request, exchange.cookies(), isPublic ? PathAccess.ANYONE : policy.access(request));
    } catch (OidcErrorException e) {
      if (isPublic) {
        // a public page works for anyone, even then
        exchange.chain().doFilter(exchange.stripped(), exchange.response());
        return Outcome.ANSWERED;
      }
      LOG.debug(
          "Refused {} {}: {} ({})",
          request.getMethod(),
          request.getRequestURI(),
          e.error().code(),
          e.error().description());
      errors.refuse(exchange.stripped(), exchange.response(), e.error());
      if (OidcError.DPOP.equals(e.error().scheme())) {
        // RFC 9449 §8: a fresh nonce with the refusal, when the filter hands them out (after the
        // refusal, which resets the response; the body is not flushed yet)
        credentials
            .dpopNonce(request)
            .ifPresent(n -> exchange.response().setHeader("DPoP-Nonce", n));
      }
      return Outcome.ANSWERED;
    }
    exchange.found(isPublic, caller);
    return Outcome.NEXT;
  }
}
