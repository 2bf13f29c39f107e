package dev.oidcgate.oidc.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps another site from logging a person out. A link or an image on any site can make the browser
 * request the logout URL, which would end the session here and, through {@code id_token_hint}, at
 * the IdP. A request is cross-site when {@code Sec-Fetch-Site} says {@code cross-site}; without
 * that header, when {@code Origin} (or, without that, {@code Referer}) names another origin than
 * the app's own; with none of them (an old browser, a typed URL, a script that is no browser) it is
 * not. {@code same-site} requests (a sibling subdomain) are let through. A cross-site logout gets
 * 403 and a small page whose one button signs out by a same-origin POST, so a person who did mean
 * to sign out is one click from it, and another site is not.
 */
public final class CrossSiteLogout {

  private CrossSiteLogout() {}

  /**
   * @param ownOrigin the origin browsers reach the app at ({@link FilterPaths#origin})
   */
  public static boolean isCrossSite(HttpServletRequest request, String ownOrigin) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null) {
      switch (site.trim().toLowerCase(Locale.ROOT)) {
        case "cross-site":
          return true;
        case "same-origin", "same-site", "none":
          return false;
        default:
          break; // a value from the future: decide by Origin and Referer
      }
    }
    String origin = request.getHeader("Origin");
    if (origin != null) {
      // "null" is an opaque origin: a sandboxed frame, or a chain of redirects through other sites.
      return !Origins.ofUrl(origin.trim()).equals(Optional.of(ownOrigin));
    }
    String referer = request.getHeader("Referer");
    if (referer != null) {
      return !Origins.ofUrl(referer.trim()).equals(Optional.of(ownOrigin));
    }
    return false;
  }

  /**
   * Answers 403 with a page that asks the person to confirm with a same-origin POST to {@code
   * logoutPath}. The page may not be framed (no clickjacking of its button) and sends its referrer
   * only to this origin, so that the POST carries a real {@code Origin}.
   */
  public static void askToConfirm(HttpServletResponse response, String logoutPath)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.reset();
    response.setStatus(403);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Referrer-Policy", "same-origin");
    response.setHeader(
        "Content-Security-Policy",
        "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
    response.setHeader("X-Frame-Options", "DENY");
    response.setContentType("text/html");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign out?</title></head>"
                + "<body><h1>Sign out?</h1><p>Another site asked to sign you out.</p>"
                + "<form method=\"post\" action=\""
                + ErrorPages.escape(logoutPath)
                + "\"><button type=\"submit\">Sign out</button></form></body></html>");
  }
}
