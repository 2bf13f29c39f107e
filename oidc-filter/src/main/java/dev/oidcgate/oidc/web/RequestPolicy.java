package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.authz.IssuerScope;
import dev.oidcgate.oidc.authz.PathAccess;
import dev.oidcgate.oidc.authz.PathPolicy;
import dev.oidcgate.oidc.authz.PathRule;
import dev.oidcgate.oidc.authz.StepUp;
import dev.oidcgate.oidc.config.IssuerNames;
import dev.oidcgate.oidc.config.MethodOverrideHeaders;
import dev.oidcgate.oidc.config.PolicySettings;
import dev.oidcgate.oidc.identity.HeaderMatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The servlet side of {@link PathPolicy}: which path a request is for, whether it is a CORS
 * preflight, whether it may pass without a login, and which access rule it must pass. Paths are the
 * container's decoded, normalised ones ({@code getServletPath() + getPathInfo()}), the same the app
 * is routed by. A request is checked as its method, and, where {@code methodOverrideHeaders=allow},
 * also as each method an override header claims. Where rules apply, they admit the callers of
 * {@code ruleIssuers} (or a line's {@code issuer=}) only. Immutable and thread-safe.
 */
public final class RequestPolicy {

  /**
   * Raw spellings that a container and the app (or a proxy behind it) might resolve differently: a
   * path spelled so is never treated as public.
   */
  private static final Pattern AMBIGUOUS =
      Pattern.compile("(?i).*(;|\\\\|//|%2e|%2f|%5c|%25|%3b|%00|/\\./|/\\.\\./|/\\.$|/\\.\\.$).*");

  private static final HeaderMatcher OVERRIDES = new HeaderMatcher(MethodOverrideHeaders.NAMES);

  private final PolicySettings settings;
  private final IssuerScope filterWideIssuers;
  private final Map<PathRule, IssuerScope> lineIssuers = new HashMap<>();

  /**
   * @param names resolves the issuers the rules name
   */
  public RequestPolicy(PolicySettings settings, IssuerNames names) {
    this.settings = settings;
    // Without filter-wide rules there is nothing to scope: every accepted issuer's caller passes.
    this.filterWideIssuers =
        settings.filterWideRules() ? names.byDefault(settings) : IssuerScope.ANY;
    for (PathRule r : settings.paths().rules()) {
      lineIssuers.put(r, names.of(r, settings));
    }
  }

  /**
   * A CORS preflight, which browsers send without cookies or tokens, so it could never carry a
   * credential; {@code corsPreflight} says what becomes of it.
   */
  public static boolean isPreflight(HttpServletRequest request) {
    return "OPTIONS".equals(request.getMethod())
        && request.getHeader("Origin") != null
        && request.getHeader("Access-Control-Request-Method") != null;
  }

  /** Whether no login is demanded for this request. */
  public boolean isPublic(HttpServletRequest request) {
    String raw = request.getRequestURI();
    return settings.paths().isPublic(path(request)) && !AMBIGUOUS.matcher(raw).matches();
  }

  /**
   * What this request demands besides the filter-wide rules: {@code claimsRequired} and the path
   * rule of each method the request is checked as, and the issuers all of those rules admit.
   */
  public PathAccess access(HttpServletRequest request) {
    AccessRule rule = settings.paths().everywhere();
    IssuerScope issuers = filterWideIssuers;
    for (PathRule r : settings.paths().rulesFor(methods(request), path(request))) {
      rule = rule.and(r.rule());
      // Every line has its scope: lineIssuers is built from the same rules.
      issuers = issuers.and(Objects.requireNonNull(lineIssuers.get(r)));
    }
    return new PathAccess(rule, issuers);
  }

  /**
   * The path rules that apply to this request, per method it is checked as: the first line each;
   * empty where no line applies.
   */
  public List<PathRule> rulesFor(HttpServletRequest request) {
    return settings.paths().rulesFor(methods(request), path(request));
  }

  /** The step-ups the path rules of this request demand; empty for none. */
  List<StepUp> stepUps(HttpServletRequest request) {
    List<StepUp> out = new ArrayList<>(1);
    for (PathRule r : settings.paths().rulesFor(methods(request), path(request))) {
      if (!r.stepUp().isNone()) {
        out.add(r.stepUp());
      }
    }
    return out;
  }

  /** The request's method, then, if allowed, the methods its override headers claim. */
  private List<String> methods(HttpServletRequest request) {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    if (settings.methodOverride() != MethodOverrideHeaders.ALLOW) {
      return List.of(method); // the headers were stripped: the app sees the request's method
    }
    List<String> out = new ArrayList<>(List.of(method));
    for (String name : Collections.list(request.getHeaderNames())) {
      if (OVERRIDES.matches(name)) {
        for (String value : Collections.list(request.getHeaders(name))) {
          String claimed = value.trim().toUpperCase(Locale.ROOT);
          if (!claimed.isEmpty() && !out.contains(claimed)) {
            out.add(claimed);
          }
        }
      }
    }
    return out;
  }

  /** The container's decoded, normalised path under the context. */
  static String path(HttpServletRequest request) {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = pathInfo == null ? servletPath : servletPath + pathInfo;
    return path.isEmpty() ? "/" : path;
  }
}
