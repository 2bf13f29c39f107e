package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.web.CrossSiteLogout;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.LoginResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The logout path: a cross-site request is asked to confirm; otherwise the session ends at its own
 * issuer and the browser goes to the issuer's logout. Login only.
 */
final class LogoutStep implements RequestStep {

  private final LoginFlow login;
  private final IssuerGates gates;
  private final FilterPaths paths;

  LogoutStep(LoginFlow login, IssuerGates gates, FilterPaths paths) {
    this.login = login;
    this.gates = gates;
    this.paths = paths;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    HttpServletRequest request = exchange.request();
    HttpServletResponse response = exchange.response();
    try {
      if (!paths.isLogout(request)) {
        return Outcome.NEXT;
      }
      if (CrossSiteLogout.isCrossSite(request, paths.origin(request))) {
        LOG.debug("Refused a cross-site logout request; asked the person to confirm");
        CrossSiteLogout.askToConfirm(response, request.getRequestURI());
        return Outcome.ANSWERED;
      }
      Optional<IssuerGates.Signed> session = gates.stored(exchange.cookies());
      LoginFlow flow = session.map(s -> s.gate().login().get()).orElse(login);
      Optional<OidcSession> ended = session.map(IssuerGates.Signed::session);
      LoginResponses.redirect(
          response,
          flow.logout(ended, paths.postLogoutRedirect(request), exchange.cookies()).toString());
    } catch (OidcErrorException e) {
      LoginResponses.errorPage(response, e.error());
    }
    return Outcome.ANSWERED;
  }
}
