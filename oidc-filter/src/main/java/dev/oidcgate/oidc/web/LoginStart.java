package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.AuthorizationSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts a login from a request: the authorization request gets the configured fixed parameters and
 * the passed-on ones of the browser's request (a single value each, at most {@value #MAX_VALUE}
 * characters, so a crafted URL cannot stuff the request). Immutable and thread-safe.
 */
public final class LoginStart {

  static final int MAX_VALUE = 512;

  private final AuthorizationSettings settings;

  public LoginStart(AuthorizationSettings settings) {
    this.settings = settings;
  }

  /**
   * @return the authorization endpoint URL to send the browser to
   * @throws OidcErrorException 503 while the provider is unreachable
   */
  public String begin(
      LoginFlow login,
      HttpServletRequest request,
      String returnUrl,
      FilterPaths paths,
      SessionCookies cookies)
      throws OidcErrorException {
    return begin(login, request, returnUrl, paths, cookies, Map.of());
  }

  /** Like the other, with {@code demanded} (step-up) winning over configured parameters. */
  public String begin(
      LoginFlow login,
      HttpServletRequest request,
      String returnUrl,
      FilterPaths paths,
      SessionCookies cookies,
      Map<String, String> demanded)
      throws OidcErrorException {
    return begin(login, request, returnUrl, paths, cookies, demanded, "");
  }

  /** Like the other, for a login that a kept form post ({@code preservePost}) waits for. */
  public String begin(
      LoginFlow login,
      HttpServletRequest request,
      String returnUrl,
      FilterPaths paths,
      SessionCookies cookies,
      Map<String, String> demanded,
      String preservedPost)
      throws OidcErrorException {
    Map<String, String> extra = new LinkedHashMap<>(settings.parameters());
    for (String name : settings.passedOn()) {
      String[] values = request.getParameterValues(name);
      if (values != null && values.length == 1 && values[0].length() <= MAX_VALUE) {
        extra.put(name, values[0]);
      }
    }
    extra.putAll(demanded);
    return login
        .begin(
            returnUrl,
            paths.redirectUri(request, login),
            paths.fallbackReturnUrl(),
            cookies,
            extra,
            preservedPost)
        .toString();
  }
}
