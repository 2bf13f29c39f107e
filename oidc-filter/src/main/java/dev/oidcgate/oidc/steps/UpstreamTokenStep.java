package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.authz.PathRule;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.config.PolicySettings;
import dev.oidcgate.oidc.config.UpstreamSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.identity.TokenHeader;
import dev.oidcgate.oidc.upstream.UpstreamToken;
import dev.oidcgate.oidc.upstream.UpstreamTokens;
import dev.oidcgate.oidc.web.ErrorResponder;
import dev.oidcgate.oidc.web.RequestPolicy;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A caller was found: puts the token its path's upstream should see in {@code
 * upstreamAccessTokenHeader}, in place of the caller's own: one exchanged for the upstream, the
 * app's own, or none. The path's first {@code pathRules} line chooses, else {@code upstreamToken}.
 * A token that cannot be had answers 502 here and the request goes no further; on a public path the
 * request goes on without a token. Never the caller's token instead. Left out of the request path
 * when every choice is {@code caller}.
 */
final class UpstreamTokenStep implements RequestStep {

  private final RequestPolicy policy;
  private final UpstreamToken filterWide;
  private final UpstreamTokens tokens;
  private final TokenHeader header;
  private final String issuer;
  private final ErrorResponder errors;

  private UpstreamTokenStep(
      RequestPolicy policy,
      UpstreamToken filterWide,
      UpstreamTokens tokens,
      TokenHeader header,
      String issuer,
      ErrorResponder errors) {
    this.policy = policy;
    this.filterWide = filterWide;
    this.tokens = tokens;
    this.header = header;
    this.issuer = issuer;
    this.errors = errors;
  }

  /**
   * The step, when any path's upstream gets another token than the caller's.
   *
   * @param lines the path rules, to see whether any chooses another token
   * @param hasClient whether a {@code clientId} is configured (exchange and client need one)
   * @throws OidcConfigException naming the key when a choice cannot work
   */
  static Optional<RequestStep> of(
      RequestPolicy policy,
      List<PathRule> lines,
      UpstreamSettings upstream,
      UpstreamTokens tokens,
      boolean hasClient,
      String issuer,
      ErrorResponder errors) {
    UpstreamToken filterWide = upstream.upstreamToken();
    boolean needed = filterWide.replacesCallerToken();
    TokenHeader header = upstream.identityHeaders().tokenHeader();
    for (PathRule line : lines) {
      UpstreamToken chosen = line.upstream().over(filterWide);
      if (line.upstream() != UpstreamToken.INHERIT && chosen.replacesCallerToken()) {
        needed = true;
        if (chosen.kindOrCaller() != UpstreamToken.Kind.NONE && header.headerName().isEmpty()) {
          throw new OidcConfigException(
              PolicySettings.PATH_RULES.key(),
              "a line asks for upstream_token="
                  + chosen.kindOrCaller()
                  + " but upstreamAccessTokenHeader is none: name a header");
        }
        requireClient(chosen, hasClient, PolicySettings.PATH_RULES.key());
      }
    }
    requireClient(filterWide, hasClient, UpstreamSettings.UPSTREAM_TOKEN.key());
    return needed
        ? Optional.of(new UpstreamTokenStep(policy, filterWide, tokens, header, issuer, errors))
        : Optional.empty();
  }

  private static void requireClient(UpstreamToken chosen, boolean hasClient, String key) {
    UpstreamToken.Kind kind = chosen.kindOrCaller();
    if (!hasClient && (kind == UpstreamToken.Kind.EXCHANGE || kind == UpstreamToken.Kind.CLIENT)) {
      throw new OidcConfigException(
          key, "upstream token " + kind + " needs clientId and its credentials");
    }
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    Credentials.Found found = exchange.caller();
    if (found == null) {
      return Outcome.NEXT;
    }
    Optional<UpstreamToken> target = target(exchange);
    if (target.isEmpty()) {
      // A method override names a line whose upstream gets another token than the method's own.
      errors.write(
          exchange.response(),
          OidcErrors.invalidRequest("The method override names a path with another upstream token")
              .error());
      return Outcome.ANSWERED;
    }
    UpstreamToken chosen = target.get();
    if (!chosen.replacesCallerToken() || header.headerName().isEmpty()) {
      return Outcome.NEXT;
    }
    String name = header.headerName().get();
    Caller caller = found.caller();
    Map<String, String> headers = new LinkedHashMap<>(caller.headers());
    headers.remove(name); // the caller's own token: never sent where another one is chosen
    try {
      if (chosen.kindOrCaller() == UpstreamToken.Kind.EXCHANGE
          && !issuer.equals(caller.principal().issuer())) {
        throw OidcErrors.upstreamTokenUnavailable(
            "Token exchange is set up for callers of the main issuer only");
      }
      tokens
          .tokenFor(chosen, found.accessToken())
          .ifPresent(token -> headers.put(name, header.value(token)));
    } catch (OidcErrorException e) {
      if (!exchange.isPublic()) {
        LOG.debug(
            "No upstream token for {} {}: {}",
            exchange.request().getMethod(),
            exchange.request().getRequestURI(),
            e.error().description());
        errors.write(exchange.response(), e.error());
        return Outcome.ANSWERED;
      }
      // a public page works for anyone: it goes on, without a token
    }
    exchange.found(exchange.isPublic(), found.withCaller(new Caller(caller.principal(), headers)));
    return Outcome.NEXT;
  }

  /** The path's choice; empty when the methods a request is checked as choose differently. */
  private Optional<UpstreamToken> target(Exchange exchange) {
    List<PathRule> lines = policy.rulesFor(exchange.request());
    if (lines.isEmpty()) {
      return Optional.of(filterWide);
    }
    UpstreamToken first = lines.get(0).upstream().over(filterWide);
    for (PathRule line : lines) {
      if (!line.upstream().over(filterWide).equals(first)) {
        return Optional.empty();
      }
    }
    return Optional.of(first);
  }
}
