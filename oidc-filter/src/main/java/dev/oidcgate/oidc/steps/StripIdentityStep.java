package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.identity.IdentityHeaders;
import dev.oidcgate.oidc.web.IdentityRequest;
import dev.oidcgate.oidc.web.OwnCookies;
import dev.oidcgate.oidc.web.ServletSessionCookies;
import java.util.Optional;

/**
 * Sets the request up for the steps after it: the request without the identity headers a client
 * sent, without its unverified {@code Authorization}, without the bearer token's query parameter
 * and without the filter's own cookies (what the app sees on every path, with a caller or without),
 * and the session cookies. Never answers.
 */
final class StripIdentityStep implements RequestStep {

  private final IdentityHeaders identityHeaders;
  private final OwnCookies ownCookies;
  private final ServletSessionCookies.Settings cookieSettings;
  private final Optional<String> tokenParameter;

  /**
   * @param tokenParameter {@code bearerTokenQueryParameter}, hidden from the app; empty for none
   */
  StripIdentityStep(
      IdentityHeaders identityHeaders,
      OwnCookies ownCookies,
      ServletSessionCookies.Settings cookieSettings,
      Optional<String> tokenParameter) {
    this.identityHeaders = identityHeaders;
    this.ownCookies = ownCookies;
    this.cookieSettings = cookieSettings;
    this.tokenParameter = tokenParameter;
  }

  @Override
  public Outcome handle(Exchange exchange) {
    exchange.setUp(
        strip(exchange.request()),
        new ServletSessionCookies(exchange.request(), exchange.response(), cookieSettings));
    return Outcome.NEXT;
  }

  /** The request as the app may see it. */
  IdentityRequest strip(jakarta.servlet.http.HttpServletRequest request) {
    return IdentityRequest.stripped(request, identityHeaders, ownCookies, tokenParameter);
  }
}
