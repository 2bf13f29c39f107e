package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.authz.PathPolicy;
import dev.oidcgate.oidc.authz.PathRule;
import dev.oidcgate.oidc.config.PolicySettings;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.web.ErrorResponder;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Anti-forgery for cookie-authenticated calls, as backends-for-frontends do it ({@code
 * antiForgeryHeader}): a request whose caller came from the session cookie and whose method is not
 * safe must carry the header, with any value. A cross-site form cannot send a header, and a
 * cross-site script cannot without a CORS preflight, which {@code corsOrigins} controls. Callers
 * with a bearer token are not affected: a browser never adds one by itself. The first {@code
 * pathRules} line for the request may say {@code anti_forgery=off} (or {@code on}). Runs after the
 * caller is known; left out when the header is not configured.
 */
final class AntiForgeryStep implements RequestStep {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  private final String header;
  private final PathPolicy paths;
  private final Map<PathRule, Boolean> lines = new IdentityHashMap<>();
  private final ErrorResponder errors;
  private final OidcError refused;

  AntiForgeryStep(String header, PolicySettings policy, ErrorResponder errors) {
    this.header = header;
    this.paths = policy.paths();
    for (PathRule rule : paths.rules()) {
      Optional<Boolean> on = PolicySettings.antiForgeryAt(rule);
      on.ifPresent(o -> lines.put(rule, o));
    }
    this.errors = errors;
    this.refused =
        new OidcError(
            403, "access_denied", "This request needs the " + header + " header (anti-forgery)");
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    Credentials.Found caller = exchange.caller();
    HttpServletRequest request = exchange.request();
    if (caller == null
        || caller.session() == null
        || SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))
        || request.getHeader(header) != null
        || !appliesAt(request)) {
      return Outcome.NEXT;
    }
    LOG.debug(
        "Refused {} {}: session cookie without the anti-forgery header",
        request.getMethod(),
        request.getRequestURI());
    errors.write(exchange.response(), refused);
    return Outcome.ANSWERED;
  }

  private boolean appliesAt(HttpServletRequest request) {
    if (lines.isEmpty()) {
      return true;
    }
    List<PathRule> rules =
        paths.rulesFor(List.of(request.getMethod().toUpperCase(Locale.ROOT)), path(request));
    return rules.isEmpty() || lines.getOrDefault(rules.get(0), true);
  }

  /** The container's decoded, normalised path under the context, as the path rules read it. */
  private static String path(HttpServletRequest request) {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = pathInfo == null ? servletPath : servletPath + pathInfo;
    return path.isEmpty() ? "/" : path;
  }
}
