package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.config.CorsPreflight;
import dev.oidcgate.oidc.web.PreflightAnswer;
import dev.oidcgate.oidc.web.RequestPolicy;
import jakarta.servlet.ServletException;
import java.io.IOException;

/**
 * A CORS preflight, which carries no credential: answered here from {@code corsOrigins} ({@code
 * corsPreflight=answer}, the default), or passed to the app without a credential ({@code pass}).
 * Left out of the path with {@code off}: a preflight then needs a credential like any request.
 */
final class PreflightStep implements RequestStep {

  private final CorsPreflight mode;
  private final PreflightAnswer answer;

  PreflightStep(CorsPreflight mode, PreflightAnswer answer) {
    this.mode = mode;
    this.answer = answer;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException, ServletException {
    if (!RequestPolicy.isPreflight(exchange.request())) {
      return Outcome.NEXT;
    }
    if (mode == CorsPreflight.PASS) {
      exchange.chain().doFilter(exchange.stripped(), exchange.response()); // the app answers it
    } else {
      answer.write(exchange.request(), exchange.response());
    }
    return Outcome.ANSWERED;
  }
}
