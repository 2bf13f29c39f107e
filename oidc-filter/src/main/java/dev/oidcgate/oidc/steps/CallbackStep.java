package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.LoginResponses;
import dev.oidcgate.oidc.web.PostPreservation;
import dev.oidcgate.oidc.web.ServletSessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The callback with an authorization response: the login finishes at the issuer whose redirect URI
 * it came back to, which must be the issuer that started it, and the browser goes back to where it
 * was. Login only.
 */
final class CallbackStep implements RequestStep {

  private final IssuerGates gates;
  private final LoginFlow main;
  private final FilterPaths paths;
  private final Optional<PostPreservation> preservation;

  CallbackStep(
      IssuerGates gates,
      LoginFlow main,
      FilterPaths paths,
      Optional<PostPreservation> preservation) {
    this.gates = gates;
    this.main = main;
    this.paths = paths;
    this.preservation = preservation;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    HttpServletRequest request = exchange.request();
    try {
      Optional<LoginFlow> arrived = paths.callbackOf(request, main);
      if (arrived.isEmpty()
          || !LoginResponses.isAuthorizationResponse(request, arrived.get().jarm())) {
        return Outcome.NEXT;
      }
      // With JARM, nothing of the response is used before its JWT is verified.
      Map<String, String> params =
          arrived.get().authorizationResponse(LoginResponses.authorizationResponse(request));
      String state = params.get("state");
      ServletSessionCookies cookies = exchange.cookies();
      finishLogin(
          gates.forCallback(arrived.get(), state, cookies), params, exchange.response(), cookies);
    } catch (OidcErrorException e) {
      LoginResponses.errorPage(exchange.response(), e.error());
    }
    return Outcome.ANSWERED;
  }

  private void finishLogin(
      OidcGate issuerGate,
      Map<String, String> params,
      HttpServletResponse response,
      ServletSessionCookies cookies)
      throws OidcErrorException, IOException {
    LoginFlow login = issuerGate.login().get();
    Optional<LoginFlow.Declined> declined = login.declined(params, cookies);
    if (declined.isPresent()) {
      // prompt=none, and the IdP needs the person: back to the app, which decides what to do.
      LOG.debug("A silent login came back with {}", declined.get().error());
      LoginResponses.redirect(
          response, paths.returnUrl(withError(declined.get().returnUrl(), declined.get().error())));
      return;
    }
    Optional<OidcSession> previous;
    try {
      previous = login.sessions().stored(cookies);
    } catch (OidcErrorException e) {
      previous = Optional.empty();
    }
    try {
      LoginFlow.Result result = login.finish(params, previous, cookies);
      gates.endSessionsBesides(issuerGate, cookies);
      LOG.info("Login completed for subject {}", result.session().subject());
      if (!result.preservedPost().isEmpty() && preservation.isPresent()) {
        preservation.get().issueTicket(cookies, result.preservedPost(), result.session().id());
      }
      LoginResponses.redirect(response, paths.returnUrl(result.returnUrl()));
    } catch (RuntimeException e) {
      String more = RepeatedFailures.admit(LOG, "login failed unexpectedly", e.getClass());
      if (more != null) {
        LOG.error(
            "Unexpected {} while finishing a login at {}{}",
            e.getClass().getName(),
            e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?",
            more);
      }
      throw OidcErrors.invalidRequest("The login could not be completed");
    }
  }

  /** {@code url} with {@code oidc_error} added to its query. */
  static String withError(String url, String error) {
    int fragment = url.indexOf('#');
    String base = fragment < 0 ? url : url.substring(0, fragment);
    String rest = fragment < 0 ? "" : url.substring(fragment);
    return base + (base.contains("?") ? "&" : "?") + "oidc_error=" + error + rest;
  }
}
