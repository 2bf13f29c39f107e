package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.ClusterSettings;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;

/**
 * The servlet side of back-channel logout (OpenID Connect Back-Channel Logout 1.0 §2.5, §2.8): a
 * form POST with one {@code logout_token}; 200 when the sessions are ended, 400 with a JSON error
 * otherwise, 503 with {@code Retry-After} when the shared state is down; always {@code
 * Cache-Control: no-store}. Its path defaults to {@code backchannel-logout} under the filter's
 * first URL pattern. Immutable.
 */
public final class BackchannelLogoutEndpoint {

  /** Ends the sessions a logout token names (OpenID Connect Back-Channel Logout 1.0). */
  @FunctionalInterface
  public interface Handler {
    /**
     * @throws OidcErrorException 400 for a token refused, 503 when the shared state is down
     */
    void handle(String logoutToken) throws OidcErrorException;
  }

  private final String path;

  private BackchannelLogoutEndpoint(String path) {
    this.path = path;
  }

  /**
   * @param urlPatterns the filter's URL patterns, as registered (may be empty)
   */
  public static BackchannelLogoutEndpoint resolve(
      ClusterSettings settings, String contextPath, Collection<String> urlPatterns) {
    return new BackchannelLogoutEndpoint(
        contextPath
            + settings
                .backchannelLogoutPath()
                .orElse(FilterPaths.prefixOf(urlPatterns) + "/backchannel-logout"));
  }

  public boolean matches(HttpServletRequest request) {
    return request.getRequestURI().equals(path);
  }

  public void handle(HttpServletRequest request, HttpServletResponse response, Handler logout)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      write(response, new OidcError(405, "invalid_request", "Use POST"));
      return;
    }
    String type = request.getContentType();
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      write(response, OidcErrors.invalidRequest("Send a form (logout_token)").error());
      return;
    }
    String query = request.getQueryString();
    String[] tokens = request.getParameterValues("logout_token");
    if (tokens == null || tokens.length != 1 || (query != null && query.contains("logout_token"))) {
      write(
          response, OidcErrors.invalidRequest("Send exactly one logout_token in the body").error());
      return;
    }
    try {
      logout.handle(tokens[0]);
      response.setStatus(200);
      response.setContentLength(0);
    } catch (OidcErrorException e) {
      write(response, e.error());
    }
  }

  private static void write(HttpServletResponse response, OidcError error) throws IOException {
    response.setStatus(error.status());
    if (error.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
    }
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    // Our own fixed texts only (no request input), so no escaping is needed.
    response
        .getWriter()
        .write(
            "{\"error\":\""
                + error.code()
                + "\",\"error_description\":\""
                + error.description()
                + "\"}");
  }
}
