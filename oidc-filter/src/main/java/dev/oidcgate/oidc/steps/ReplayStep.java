package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.session.SessionStoreException;
import dev.oidcgate.oidc.web.PostPreservation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * {@code preservePost}: the browser comes back from its login with the ticket the callback gave it;
 * its request becomes the form post kept before the login, once, and goes through the steps after
 * this one as that POST (so the access rules are checked for a POST). Before the credentials step;
 * a request without the ticket costs one cookie lookup.
 */
final class ReplayStep implements RequestStep {

  private final PostPreservation preservation;
  private final IssuerGates gates;
  private final StripIdentityStep strip;

  ReplayStep(PostPreservation preservation, IssuerGates gates, StripIdentityStep strip) {
    this.preservation = preservation;
    this.gates = gates;
    this.strip = strip;
  }

  @Override
  public Outcome handle(Exchange exchange) {
    if (!PostPreservation.hasTicket(exchange.cookies())) {
      return Outcome.NEXT;
    }
    Optional<String> sessionId;
    try {
      sessionId = gates.stored(exchange.cookies()).map(s -> s.session().id());
    } catch (OidcErrorException e) {
      sessionId = Optional.empty();
    }
    try {
      Optional<HttpServletRequest> replayed =
          preservation.redeem(exchange.request(), exchange.cookies(), sessionId);
      if (replayed.isPresent()) {
        exchange.replay(replayed.get(), strip.strip(replayed.get()));
        LOG.debug("Replaying a form post kept over a login");
      }
    } catch (SessionStoreException e) {
      LOG.warn("A kept form post was not replayed: the shared state is unreachable");
    }
    return Outcome.NEXT;
  }
}
