package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.ScriptEndpoints;
import java.io.IOException;

/** The paths for scripts (session info, login, named logins) answer themselves. Login only. */
final class ScriptEndpointsStep implements RequestStep {

  private final ScriptEndpoints scripts;
  private final LoginFlow login;
  private final ScriptEndpoints.NamedLogins namedLogins;
  private final FilterPaths paths;
  private final ErrorResponder errors;

  ScriptEndpointsStep(
      ScriptEndpoints scripts,
      LoginFlow login,
      ScriptEndpoints.NamedLogins namedLogins,
      FilterPaths paths,
      ErrorResponder errors) {
    this.scripts = scripts;
    this.login = login;
    this.namedLogins = namedLogins;
    this.paths = paths;
    this.errors = errors;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    return scripts.handle(
            exchange.request(),
            exchange.response(),
            login,
            namedLogins,
            exchange.cookies(),
            paths,
            errors)
        ? Outcome.ANSWERED
        : Outcome.NEXT;
  }
}
