package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.config.UnauthenticatedAction;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.IssuerChooser;
import dev.oidcgate.oidc.web.LoginResponses;
import dev.oidcgate.oidc.web.PathParts;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * No credential: {@code unauthenticatedAction} decides. A public path or {@code pass} goes on
 * anonymously; with {@code redirect} a page load is sent to log in (or to choose the issuer) and a
 * script gets the JSON 401 with the login URL; anything else gets 401. Always answers: it is the
 * last step.
 */
final class UnauthenticatedStep implements RequestStep {

  private final UnauthenticatedAction action;
  private final Optional<LoginFlow> login;
  private final IssuerGates gates;
  private final String loginIssuerParameter;
  private final PathParts parts;
  private final FilterPaths paths;
  private final ErrorResponder errors;

  UnauthenticatedStep(
      OidcGate gate, IssuerGates gates, PathParts parts, FilterPaths paths, ErrorResponder errors) {
    this.action = gate.config().login().unauthenticatedAction();
    this.login = gate.login();
    this.gates = gates;
    this.loginIssuerParameter = gate.config().client().loginIssuerParameter();
    this.parts = parts;
    this.paths = paths;
    this.errors = errors;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException, ServletException {
    HttpServletRequest request = exchange.request();
    HttpServletResponse response = exchange.response();
    if (action == UnauthenticatedAction.PASS || exchange.isPublic()) {
      exchange.chain().doFilter(exchange.stripped(), response);
    } else if (action == UnauthenticatedAction.REDIRECT
        && login.isPresent()
        && LoginResponses.isBrowserNavigation(request)) {
      try {
        Optional<OidcGate> chosen = gates.forLogin(request);
        if (chosen.isEmpty()) {
          IssuerChooser.write(response, loginIssuerParameter, gates.loginChoices());
          return Outcome.ANSWERED;
        }
        LoginResponses.redirect(
            response,
            parts
                .loginStart()
                .begin(
                    chosen.get().login().get(),
                    request,
                    LoginResponses.currentUrl(request),
                    paths,
                    exchange.cookies()));
      } catch (OidcErrorException e) {
        errors.write(response, e.error());
      }
    } else if (action == UnauthenticatedAction.REDIRECT && login.isPresent()) {
      parts.scripts().unauthorized(request, response, paths); // a script: JSON, the login URL
    } else {
      errors.write(response, OidcErrors.missingToken().error());
    }
    return Outcome.ANSWERED;
  }
}
