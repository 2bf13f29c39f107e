package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.web.RequestPolicy;
import jakarta.servlet.ServletException;
import java.io.IOException;

/** A CORS preflight that the policy lets pass goes to the app: it has no credential to check. */
final class PreflightStep implements RequestStep {

  private final RequestPolicy policy;

  PreflightStep(RequestPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException, ServletException {
    if (!policy.isPassingPreflight(exchange.request())) {
      return Outcome.NEXT;
    }
    exchange.chain().doFilter(exchange.stripped(), exchange.response()); // the app answers it
    return Outcome.ANSWERED;
  }
}
