package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.web.BackchannelLogoutEndpoint;
import java.io.IOException;

/** The back-channel logout path: a logout token from an issuer, checked and recorded. */
final class BackchannelLogoutStep implements RequestStep {

  private final BackchannelLogoutEndpoint endpoint;
  private final IssuerGates gates;

  BackchannelLogoutStep(BackchannelLogoutEndpoint endpoint, IssuerGates gates) {
    this.endpoint = endpoint;
    this.gates = gates;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    if (!endpoint.matches(exchange.request())) {
      return Outcome.NEXT;
    }
    // Server to server: no cookies, no identity, never passed down the chain.
    endpoint.handle(exchange.request(), exchange.response(), gates::backchannelLogout);
    return Outcome.ANSWERED;
  }
}
