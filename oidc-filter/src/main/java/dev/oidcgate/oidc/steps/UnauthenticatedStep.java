package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.config.UnauthenticatedAction;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.session.SessionStoreException;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.IssuerChooser;
import dev.oidcgate.oidc.web.LoginResponses;
import dev.oidcgate.oidc.web.PathParts;
import dev.oidcgate.oidc.web.PostPreservation;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
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
  private final Optional<PostPreservation> preservation;

  UnauthenticatedStep(
      OidcGate gate,
      IssuerGates gates,
      PathParts parts,
      FilterPaths paths,
      ErrorResponder errors,
      Optional<PostPreservation> preservation) {
    this.preservation = preservation;
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
      sendToLogin(exchange, "");
    } else if (action == UnauthenticatedAction.REDIRECT
        && login.isPresent()
        && preservation.isPresent()
        && PostPreservation.isFormNavigation(request)) {
      // preservePost: a person's form; kept when it may be, then the same way as a page load.
      String kept = "";
      try {
        kept = preservation.get().keep(request, paths.origin(request)).orElse("");
      } catch (SessionStoreException e) {
        LOG.warn("A form post was not kept over its login: the shared state is unreachable");
      }
      sendToLogin(exchange, kept);
    } else if (action == UnauthenticatedAction.REDIRECT && login.isPresent()) {
      parts.scripts().unauthorized(request, response, paths); // a script: JSON, the login URL
    } else {
      errors.write(response, OidcErrors.missingToken().error());
    }
    return Outcome.ANSWERED;
  }

  /**
   * Sends the browser to log in (or to choose the issuer), to come back to the URL it asked for;
   * after a POST with 303, so the browser comes back with a GET.
   *
   * @param preservedPost the id of the form post kept for this login; empty for none
   */
  private void sendToLogin(Exchange exchange, String preservedPost) throws IOException {
    HttpServletRequest request = exchange.request();
    HttpServletResponse response = exchange.response();
    try {
      Optional<OidcGate> chosen = gates.forLogin(request);
      if (chosen.isEmpty()) {
        IssuerChooser.write(response, loginIssuerParameter, gates.loginChoices());
        return;
      }
      String location =
          parts
              .loginStart()
              .begin(
                  chosen.get().login().get(),
                  request,
                  LoginResponses.currentUrl(request),
                  paths,
                  exchange.cookies(),
                  Map.of(),
                  preservedPost);
      if ("POST".equals(request.getMethod())) {
        LoginResponses.seeOther(response, location);
      } else {
        LoginResponses.redirect(response, location);
      }
    } catch (OidcErrorException e) {
      errors.write(response, e.error());
    }
  }
}
