package dev.oidcgate.oidc.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells a person's page load from an API or script call: only a top-level navigation may be
 * redirected to log in; anything else gets 401, which a script can act on.
 */
final class BrowserNavigation {

  private BrowserNavigation() {}

  static boolean is(HttpServletRequest request) {
    String method = request.getMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return false;
    }
    String accept = request.getHeader("Accept");
    if (accept == null || !accept.contains("text/html")) {
      return false;
    }
    if ("XMLHttpRequest".equalsIgnoreCase(request.getHeader("X-Requested-With"))) {
      return false;
    }
    String mode = request.getHeader("Sec-Fetch-Mode");
    return mode == null || mode.equals("navigate");
  }
}
