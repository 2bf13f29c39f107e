package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.error.OidcError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servlet side of logging in: reading the authorization response, redirects and error pages.
 */
public final class LoginResponses {

  private static final List<String> RESPONSE_PARAMS =
      List.of("state", "code", "error", "error_description", "iss", "response");

  private LoginResponses() {}

  /**
   * Whether a request at the redirect URI carries an authorization response (query, or {@code
   * form_post}).
   */
  public static boolean isAuthorizationResponse(HttpServletRequest request) {
    return isAuthorizationResponse(request, false);
  }

  /**
   * Like {@link #isAuthorizationResponse(HttpServletRequest)}; with {@code jarm} a {@code response}
   * parameter (a JWT-secured response) makes it one too.
   */
  public static boolean isAuthorizationResponse(HttpServletRequest request, boolean jarm) {
    String method = request.getMethod();
    if ("POST".equals(method)) {
      String type = request.getContentType();
      if (type == null
          || !type.toLowerCase(java.util.Locale.ROOT)
              .startsWith("application/x-www-form-urlencoded")) {
        return false;
      }
    } else if (!"GET".equals(method)) {
      return false;
    }
    // At the redirect URI a code or an error makes it a callback, with or without state: one
    // without
    // state is refused there rather than passed on as an ordinary request.
    return request.getParameter("code") != null
        || request.getParameter("error") != null
        || (jarm && request.getParameter("response") != null);
  }

  public static Map<String, String> authorizationResponse(HttpServletRequest request) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : RESPONSE_PARAMS) {
      String[] values = request.getParameterValues(name);
      if (values != null && values.length == 1) {
        params.put(name, values[0]); // a repeated parameter is not trusted: it is left out
      }
    }
    return params;
  }

  public static boolean isBrowserNavigation(HttpServletRequest request) {
    return BrowserNavigation.is(request);
  }

  /** The URL the browser asked for, as a same-origin path with its query. */
  public static String currentUrl(HttpServletRequest request) {
    String query = request.getQueryString();
    return request.getRequestURI() + (query == null ? "" : "?" + query);
  }

  /** 302 that carries no referrer and is never cached (it may follow a response holding a code). */
  public static void redirect(HttpServletResponse response, String location) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setStatus(302);
    response.setHeader("Location", location);
    response.setContentLength(0);
    response.flushBuffer();
  }

  /**
   * 303 (See Other) after a POST: the browser follows it with a GET. Otherwise as {@link
   * #redirect}.
   */
  public static void seeOther(HttpServletResponse response, String location) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setStatus(303);
    response.setHeader("Location", location);
    response.setContentLength(0);
    response.flushBuffer();
  }

  public static void errorPage(HttpServletResponse response, OidcError error) throws IOException {
    ErrorPages.write(response, error);
  }
}
