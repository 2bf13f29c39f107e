package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.config.CorsPreflight;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.web.BackchannelLogoutEndpoint;
import dev.oidcgate.oidc.web.DpopCredentialResolver;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.FilterPaths;
import dev.oidcgate.oidc.web.ForbiddenPage;
import dev.oidcgate.oidc.web.OtherBearerSources;
import dev.oidcgate.oidc.web.OwnCookies;
import dev.oidcgate.oidc.web.PathParts;
import dev.oidcgate.oidc.web.PostPreservation;
import dev.oidcgate.oidc.web.PreflightAnswer;
import dev.oidcgate.oidc.web.ServletSessionCookies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The filter's request path: the steps one request goes through, in order, until one answers it.
 * Built once at {@code init}; a step for a feature that is off is left out. Immutable and
 * thread-safe.
 */
public final class RequestPath {

  private final List<RequestStep> steps;

  private RequestPath(List<RequestStep> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * The steps for the main gate's configuration.
   *
   * @param urlPatterns the filter's URL patterns, as registered (may be empty)
   */
  public static RequestPath build(
      IssuerGates gates,
      FilterPaths paths,
      BackchannelLogoutEndpoint backchannel,
      String contextPath,
      Collection<String> urlPatterns) {
    OidcGate gate = gates.main();
    OidcConfig config = gate.config();
    Optional<LoginFlow> login = gate.login();
    PathParts parts = PathParts.create(config, contextPath, urlPatterns);
    ErrorResponder errors =
        new ErrorResponder(
            config.access().realm(),
            new ForbiddenPage(config.browser(), paths.logoutPath(), paths.fallbackReturnUrl()),
            paths);
    Optional<PostPreservation> preservation =
        gate.preservedPosts()
            .map(p -> new PostPreservation(p, config.browser().preservePostMaxSize()));
    Credentials credentials =
        new Credentials(
            gates,
            config.login().credentials(),
            login.isPresent(),
            new OtherBearerSources(config.login()),
            config.dpopTokens().accepted() ? new DpopCredentialResolver(paths, contextPath) : null);

    // The order of the checks, first to last; a new step goes where its check belongs.
    List<RequestStep> steps = new ArrayList<>();
    if (gate.backchannelLogout().isPresent()) {
      steps.add(new BackchannelLogoutStep(backchannel, gates)); // before anything else
    }
    StripIdentityStep strip =
        new StripIdentityStep(
            config.upstream().identityHeaders(),
            new OwnCookies(config.cookies().name()),
            ServletSessionCookies.Settings.of(config.cookies(), contextPath, paths.isPublicHttps()),
            config.login().bearerTokenQueryParameter());
    steps.add(strip);
    if (login.isPresent() && config.cluster().frontchannelLogoutPath().isPresent()) {
      steps.add(
          new FrontchannelLogoutStep(
              contextPath, config.cluster().frontchannelLogoutPath().get(), gates, errors));
    }
    if (config.clientKey().jwksPath().isPresent() && config.clientKey().signingKey().isPresent()) {
      steps.add(
          new ClientJwksStep(
              contextPath + config.clientKey().jwksPath().get(), config.clientKey().publicJwks()));
    }
    if (config.policy().corsPreflight() != CorsPreflight.OFF) {
      steps.add(
          new PreflightStep(
              config.policy().corsPreflight(),
              new PreflightAnswer(config.scripts().corsOrigins())));
    }
    if (login.isPresent()) {
      steps.add(
          new ScriptEndpointsStep(
              parts.scripts(), login.get(), gates.namedLogins(), paths, errors));
      steps.add(new LogoutStep(login.get(), gates, paths));
      steps.add(new CallbackStep(gates, login.get(), paths, preservation));
    }
    if (preservation.isPresent()) {
      steps.add(new ReplayStep(preservation.get(), gates, strip)); // checked below as the POST
    }
    steps.add(new CredentialsStep(credentials, parts.policy(), errors));
    if (config.policy().antiForgeryHeader().isPresent()) {
      steps.add(
          new AntiForgeryStep(config.policy().antiForgeryHeader().get(), config.policy(), errors));
    }
    UpstreamTokenStep.of(
            parts.policy(),
            config.policy().paths().rules(),
            config.upstream(),
            gate.upstreamTokens(),
            config.client().clientId().isPresent(),
            gate.issuer(),
            errors)
        .ifPresent(steps::add); // the token the upstream gets, before the request goes on
    steps.add(new StepUpStep(parts, config.policy().paths().rules(), login, paths, errors));
    steps.add(
        new UnauthenticatedStep(gate, gates, parts, paths, errors, preservation)); // always answers
    return new RequestPath(steps);
  }

  /** The steps, first to last: what a request goes through (tests read which are on the path). */
  List<RequestStep> steps() {
    return steps;
  }

  /** Runs the request through the steps until one answers it. */
  public void serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    answer(new Exchange(request, response, chain));
  }

  private void answer(Exchange exchange) throws IOException, ServletException {
    for (RequestStep step : steps) {
      if (step.handle(exchange) == RequestStep.Outcome.ANSWERED) {
        return;
      }
    }
  }
}
