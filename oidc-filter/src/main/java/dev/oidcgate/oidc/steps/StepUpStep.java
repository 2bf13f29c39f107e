package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.authz.PathRule;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.PathParts;
import dev.oidcgate.oidc.web.StepUpCheck;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A caller was found: the path's step-up decides. The request goes on as the caller, or a session
 * that came back short logs in again (a script gets the JSON 401), or the request is refused. A
 * public path asks for no step-up. Without a caller the next step looks at the request. When no
 * path rule asks for a step-up, every caller passes without the rules being looked up again.
 */
final class StepUpStep implements RequestStep {

  private final PathParts parts;
  private final Optional<LoginFlow> login;
  private final FilterPaths paths;
  private final ErrorResponder errors;
  private final boolean anyStepUp;

  /**
   * @param rules the path rules: the step-ups come only from them
   */
  StepUpStep(
      PathParts parts,
      List<PathRule> rules,
      Optional<LoginFlow> login,
      FilterPaths paths,
      ErrorResponder errors) {
    this.parts = parts;
    this.anyStepUp = rules.stream().anyMatch(r -> !r.stepUp().isNone());
    this.login = login;
    this.paths = paths;
    this.errors = errors;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException, ServletException {
    Credentials.Found caller = exchange.caller();
    if (caller == null) {
      return Outcome.NEXT;
    }
    StepUpCheck.Decision stepUp =
        exchange.isPublic() || !anyStepUp
            ? StepUpCheck.Decision.PASS
            : parts
                .stepUps()
                .check(exchange.request(), caller.caller(), caller.session(), exchange.cookies());
    if (stepUp.passes()) {
      exchange
          .chain()
          .doFilter(exchange.stripped().authenticated(caller.caller()), exchange.response());
    } else if (stepUp.loginAgain() != null && login.isPresent()) {
      parts.loginAgain(
          login.get(),
          exchange.request(),
          exchange.response(),
          paths,
          exchange.cookies(),
          stepUp,
          errors);
    } else {
      parts.refuse(exchange.stripped(), exchange.response(), stepUp, errors, exchange.cookies());
    }
    return Outcome.ANSWERED;
  }
}
