package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.config.LogoutSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collection;

/**
 * The filter's own URLs, resolved once at start-up: the callback (redirect URI) and logout paths,
 * by default under the filter's first URL pattern ({@code /oidc-route/*} gives {@code
 * /oidc-route/callback} and {@code /oidc-route/logout}), and where to land after logout. Paths are
 * compared with the raw request URI, context path included. Immutable.
 */
public final class FilterPaths {

  private final String contextPath;
  private final String redirectUri;
  private final String callbackPath;
  private final String logoutPath;
  private final String postLogoutRedirect;

  private FilterPaths(
      String contextPath,
      String redirectUri,
      String callbackPath,
      String logoutPath,
      String postLogoutRedirect) {
    this.contextPath = contextPath;
    this.redirectUri = redirectUri;
    this.callbackPath = callbackPath;
    this.logoutPath = logoutPath;
    this.postLogoutRedirect = postLogoutRedirect;
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
    return new FilterPaths(
        contextPath, redirect, callbackPath, logoutPath, logout.postLogoutRedirectUri());
  }

  /** The path the first {@code /x/*} pattern covers ({@code /x}), or "" for none. */
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
   * The redirect URI for this request: as configured if absolute, else on the request's own origin.
   */
  public URI redirectUri(HttpServletRequest request) {
    return isAbsolute(redirectUri)
        ? URI.create(redirectUri)
        : URI.create(origin(request) + contextPath + redirectUri);
  }

  public URI postLogoutRedirect(HttpServletRequest request) {
    return isAbsolute(postLogoutRedirect)
        ? URI.create(postLogoutRedirect)
        : URI.create(origin(request) + contextPath + postLogoutRedirect);
  }

  /** Where a login goes back to when the remembered URL is unusable: the app's root. */
  public String fallbackReturnUrl() {
    return contextPath + "/";
  }

  private static String origin(HttpServletRequest request) {
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean defaultPort =
        (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    String host = request.getServerName();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }
}
