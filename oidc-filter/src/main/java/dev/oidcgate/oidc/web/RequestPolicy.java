package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.authz.PathPolicy;
import dev.oidcgate.oidc.config.PolicySettings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The servlet side of {@link PathPolicy}: which path a request is for, whether it is a CORS
 * preflight, whether it may pass without a login, and which access rule it must pass. Paths are the
 * container's decoded, normalised ones ({@code getServletPath() + getPathInfo()}), the same the app
 * is routed by. Immutable and thread-safe.
 */
public final class RequestPolicy {

  /**
   * Raw spellings that a container and the app (or a proxy behind it) might resolve differently: a
   * path spelled so is never treated as public.
   */
  private static final Pattern AMBIGUOUS =
      Pattern.compile("(?i).*(;|\\\\|//|%2e|%2f|%5c|%25|%3b|%00|/\\./|/\\.\\./|/\\.$|/\\.\\.$).*");

  private final PolicySettings settings;

  public RequestPolicy(PolicySettings settings) {
    this.settings = settings;
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

  /** The rule this request must pass besides the filter-wide ones. */
  public AccessRule rule(HttpServletRequest request) {
    return settings.paths().ruleFor(request.getMethod().toUpperCase(Locale.ROOT), path(request));
  }

  /** The container's decoded, normalised path under the context. */
  static String path(HttpServletRequest request) {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = pathInfo == null ? servletPath : servletPath + pathInfo;
    return path.isEmpty() ? "/" : path;
  }
}
