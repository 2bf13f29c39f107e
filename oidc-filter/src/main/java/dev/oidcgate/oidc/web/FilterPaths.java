package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.config.LogoutSettings;
import dev.oidcgate.oidc.login.LoginFlow;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The filter's own URLs, resolved once at start-up: the callback (redirect URI) and logout paths,
 * by default under the filter's first URL pattern ({@code /oidc-route/*} gives {@code
 * /oidc-route/callback} and {@code /oidc-route/logout}), and where to land after logout. Each
 * {@code issuerClients} issuer other than {@code issuer} has a callback of its own, {@code
 * <redirectUri>/<name>}, so a login response is tied to the issuer it came back for (RFC 9700
 * section 4.4, mix-up). Paths are compared with the raw request URI, context path included.
 * Absolute URLs are built on the configured public base ({@code externalUrl}, else the origin of an
 * absolute {@code redirectUri}); only without either on the request's own scheme, {@code Host} and
 * port. Immutable.
 */
public final class FilterPaths {

  private final String contextPath;
  private final String redirectUri;
  private final String callbackPath;
  private final String logoutPath;
  private final String postLogoutRedirect;
  private final @Nullable String configuredBase;
  private final @Nullable String configuredOrigin;
  private final Map<LoginFlow, String> callbackNames;

  private FilterPaths(
      String contextPath,
      String redirectUri,
      String callbackPath,
      String logoutPath,
      String postLogoutRedirect,
      @Nullable String configuredBase,
      Map<LoginFlow, String> callbackNames) {
    this.contextPath = contextPath;
    this.redirectUri = redirectUri;
    this.callbackPath = callbackPath;
    this.logoutPath = logoutPath;
    this.postLogoutRedirect = postLogoutRedirect;
    this.configuredBase = configuredBase;
    this.configuredOrigin =
        configuredBase == null ? null : Origins.ofUrl(configuredBase).orElseThrow();
    this.callbackNames = new IdentityHashMap<>(callbackNames);
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
        contextPath,
        redirect,
        callbackPath,
        logoutPath,
        logout.postLogoutRedirectUri(),
        base,
        Map.of());
  }

  /**
   * These paths, with a callback of its own for each login flow named here ({@code
   * <redirectUri>/<name>}); a login flow not named (that of {@code issuer}) has {@code
   * redirectUri}.
   *
   * @param names the name of each {@code issuerClients} login flow but {@code issuer}'s
   */
  public FilterPaths withCallbacksOf(Map<LoginFlow, String> names) {
    return new FilterPaths(
        contextPath,
        redirectUri,
        callbackPath,
        logoutPath,
        postLogoutRedirect,
        configuredBase,
        names);
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

  /**
   * The login flow whose callback this request is at, when it is at one: {@code main} at {@code
   * redirectUri}, a named flow at its own.
   */
  public Optional<LoginFlow> callbackOf(HttpServletRequest request, LoginFlow main) {
    String uri = request.getRequestURI();
    if (uri.equals(callbackPath)) {
      return Optional.of(main);
    }
    if (!callbackNames.isEmpty() && uri.startsWith(callbackPath + "/")) {
      String name = uri.substring(callbackPath.length() + 1);
      for (Map.Entry<LoginFlow, String> e : callbackNames.entrySet()) {
        if (e.getValue().equals(name)) {
          return Optional.of(e.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /** The logout path, with the context path (what a same-origin link to it is). */
  public String logoutPath() {
    return logoutPath;
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

  /**
   * The redirect URI of a login at {@code login}'s issuer: {@code redirectUri} (as configured if
   * absolute, else on the public base), with {@code /<name>} for a named login flow.
   */
  public URI redirectUri(HttpServletRequest request, LoginFlow login) {
    String name = callbackNames.get(login);
    int query = redirectUri.indexOf('?');
    String own =
        name == null
            ? redirectUri
            : query < 0
                ? redirectUri + "/" + name
                : redirectUri.substring(0, query) + "/" + name + redirectUri.substring(query);
    return isAbsolute(own) ? URI.create(own) : URI.create(base(request) + own);
  }

  /**
   * The main login's redirect URI when it needs no request: absolute as configured, or on the
   * configured public base ({@code externalUrl}); empty when it is built on each request's origin.
   * For oidc-gate-doctor, which names the URI to register.
   */
  public Optional<URI> redirectUriWithoutRequest() {
    if (isAbsolute(redirectUri)) {
      return Optional.of(URI.create(redirectUri));
    }
    return Optional.ofNullable(configuredBase).map(b -> URI.create(b + redirectUri));
  }

  /**
   * The post-logout redirect URI when it needs no request, as {@link #redirectUriWithoutRequest()}.
   */
  public Optional<URI> postLogoutRedirectWithoutRequest() {
    if (isAbsolute(postLogoutRedirect)) {
      return Optional.of(URI.create(postLogoutRedirect));
    }
    return Optional.ofNullable(configuredBase).map(b -> URI.create(b + postLogoutRedirect));
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
