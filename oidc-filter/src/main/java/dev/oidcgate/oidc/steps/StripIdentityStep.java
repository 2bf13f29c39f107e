package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.identity.IdentityHeaders;
import dev.oidcgate.oidc.web.IdentityRequest;
import dev.oidcgate.oidc.web.OwnCookies;
import dev.oidcgate.oidc.web.ServletSessionCookies;

/**
 * Sets the request up for the steps after it: the request without the identity headers a client
 * sent, without its unverified {@code Authorization} and without the filter's own cookies (what the
 * app sees on every path, with a caller or without), and the session cookies. Never answers.
 */
final class StripIdentityStep implements RequestStep {

  private final IdentityHeaders identityHeaders;
  private final OwnCookies ownCookies;
  private final ServletSessionCookies.Settings cookieSettings;

  StripIdentityStep(
      IdentityHeaders identityHeaders,
      OwnCookies ownCookies,
      ServletSessionCookies.Settings cookieSettings) {
    this.identityHeaders = identityHeaders;
    this.ownCookies = ownCookies;
    this.cookieSettings = cookieSettings;
  }

  @Override
  public Outcome handle(Exchange exchange) {
    exchange.setUp(
        IdentityRequest.stripped(exchange.request(), identityHeaders, ownCookies),
        new ServletSessionCookies(exchange.request(), exchange.response(), cookieSettings));
    return Outcome.NEXT;
  }
}
