package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.config.LogoutSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * The filter's own URLs, resolved once at start-up: the callback (redirect URI) and logout paths,
 * by default under the filter's first URL pattern ({@code /oidc-route/*} gives {@code
 * /oidc-route/callback} and {@code /oidc-route/logout}), and where to land after logout. Paths are
 * compared with the raw request URI, context path included. Absolute URLs are built on the
 * configured public base ({@code externalUrl}, else the origin of an absolute {@code redirectUri});
 * only without either on the request's own scheme, {@code Host} and port. Immutable.
 */
public final class FilterPaths {

  private final String contextPath;
  private final String redirectUri;
  private final String callbackPath;
  private final String logoutPath;
  private final String postLogoutRedirect;
  private final @Nullable String configuredBase;
  private final @Nullable String configuredOrigin;

  private FilterPaths(
      String contextPath,
      String redirectUri,
      String callbackPath,
      String logoutPath,
      String postLogoutRedirect,
      @Nullable String configuredBase) {
    this.contextPath = contextPath;
    this.redirectUri = redirectUri;
    this.callbackPath = callbackPath;
    this.logoutPath = logoutPath;
    this.postLogoutRedirect = postLogoutRedirect;
    this.configuredBase = configuredBase;
    this.configuredOrigin =
        configuredBase == null ? null : Origins.ofUrl(configuredBase).orElseThrow();
  }

  /**
   * @param urlPatterns the filter's URL patterns, as registered (may be empty)
   */
  public static FilterPaths resolve(
      LoginSettings login,
      LogoutSettings logout,
      String contextPath,
      Collection<String> urlPatterns) {
    String prefix = prefixOf(urlPatterns);
    String redirect = login.redirectUri().orElse(prefix + "/callback");
    String callbackPath =
        isAbsolute(redirect) ? URI.create(redirect).getRawPath() : contextPath + redirect;
    String logoutPath = contextPath + logout.path().orElse(prefix + "/logout");
    // A path in externalUrl is where the context is reached publicly; without one, it is the same.
    String base =
        login
            .externalUrl()
            .map(u -> u.getRawPath().isEmpty() ? u + contextPath : u.toString())
            .orElseGet(
                () ->
                    isAbsolute(redirect)
                        ? Origins.ofUrl(redirect).map(o -> o + contextPath).orElse(null)
                        : null);
    return new FilterPaths(
        contextPath, redirect, callbackPath, logoutPath, logout.postLogoutRedirectUri(), base);
  }

  /** The filter's first {@code /prefix/*} URL pattern without {@code /*}; empty for none. */
  static String prefixOf(Collection<String> patterns) {
    for (String p : patterns) {
      if (p.startsWith("/") && p.endsWith("/*")) {
        return p.substring(0, p.length() - 2);
      }
    }
    return "";
  }

  private static boolean isAbsolute(String uri) {
    return uri.startsWith("http://") || uri.startsWith("https://");
  }

  public boolean isCallback(HttpServletRequest request) {
    return request.getRequestURI().equals(callbackPath);
  }

  public boolean isLogout(HttpServletRequest request) {
    return request.getRequestURI().equals(logoutPath);
  }

  /**
   * Whether absolute URLs come from configuration ({@code externalUrl} or an absolute {@code
   * redirectUri}) rather than from each request's {@code Host} header, which a client chooses.
   */
  public boolean hasConfiguredBase() {
    return configuredBase != null;
  }

  /** The redirect URI for this request: as configured if absolute, else on the public base. */
  public URI redirectUri(HttpServletRequest request) {
    return isAbsolute(redirectUri)
        ? URI.create(redirectUri)
        : URI.create(base(request) + redirectUri);
  }

  public URI postLogoutRedirect(HttpServletRequest request) {
    return isAbsolute(postLogoutRedirect)
        ? URI.create(postLogoutRedirect)
        : URI.create(base(request) + postLogoutRedirect);
  }

  /** The origin browsers reach this app at: the configured base's, else this request's. */
  public String origin(HttpServletRequest request) {
    return configuredOrigin != null ? configuredOrigin : Origins.of(request);
  }

  /**
   * Whether browsers reach the app over HTTPS by configuration, even where the container sees plain
   * HTTP (TLS ended at a proxy): then cookies are {@code Secure} as on an HTTPS request.
   */
  public boolean isPublicHttps() {
    return configuredOrigin != null && configuredOrigin.startsWith("https://");
  }

  /**
   * Where a finished login sends the browser: the remembered same-origin path, made absolute on the
   * configured base when there is one (so a public path other than the context path is honoured),
   * else left relative, for the browser to resolve on the URL it is at.
   */
  public String returnUrl(String path) {
    if (configuredBase == null || !path.startsWith(contextPath)) {
      return path;
    }
    String rest = path.substring(contextPath.length());
    return rest.isEmpty() || rest.startsWith("/") || rest.startsWith("?")
        ? configuredBase + rest
        : path;
  }

  /** Where a login goes back to when the remembered URL is unusable: the app's root. */
  public String fallbackReturnUrl() {
    return contextPath + "/";
  }

  /** An absolute URL for a path under the context, on the public base. */
  public String absolute(HttpServletRequest request, String pathUnderContext) {
    return base(request) + pathUnderContext;
  }

  private String base(HttpServletRequest request) {
    return configuredBase != null ? configuredBase : Origins.of(request) + contextPath;
  }
}
