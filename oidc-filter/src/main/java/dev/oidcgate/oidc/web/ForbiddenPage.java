package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.BrowserSettings;
import dev.oidcgate.oidc.error.OidcError;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a person's browser sees when a rule or an unmet step-up refuses it (403), instead of the
 * JSON an API client gets: a short HTML page of the filter's (escaped; a link that signs out, so
 * the person can sign in as someone else, and a link back), the app's own page ({@code errorPage},
 * a forward with status 403 and the container's error attributes), or the container's error pages
 * ({@code errorPage=container}, {@code sendError(403)}). Immutable and thread-safe.
 */
public final class ForbiddenPage {

  private final Optional<String> errorPage;
  private final String logoutPath;
  private final String homePath;

  /**
   * @param logoutPath the logout path, with the context path
   * @param homePath where "back" goes when the browser names no same-origin page it came from
   */
  public ForbiddenPage(BrowserSettings settings, String logoutPath, String homePath) {
    this.errorPage = settings.errorPage();
    this.logoutPath = logoutPath;
    this.homePath = homePath;
  }

  /** Whether the refusal is for a person's page load, which this page answers. */
  static boolean answers(HttpServletRequest request, OidcError error) {
    return error.status() == 403 && BrowserNavigation.is(request);
  }

  /**
   * @param request the request as the app sees it (what a forward to {@code errorPage} gets)
   * @param ownOrigin the origin browsers reach the app at (a same-origin {@code Referer} is "back")
   * @param challenge the RFC 6750 {@code WWW-Authenticate} value, kept on the page too
   */
  void write(
      HttpServletRequest request,
      HttpServletResponse response,
      OidcError error,
      String ownOrigin,
      String challenge)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.reset();
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("WWW-Authenticate", challenge);
    if (errorPage.isPresent() && errorPage.get().equals(BrowserSettings.CONTAINER)) {
      response.sendError(403, error.description());
      return;
    }
    if (errorPage.isPresent()) {
      response.setStatus(403);
      request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 403);
      request.setAttribute(RequestDispatcher.ERROR_MESSAGE, error.description());
      request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, request.getRequestURI());
      try {
        request.getRequestDispatcher(errorPage.get()).forward(request, response);
      } catch (ServletException e) {
        response.sendError(403);
      }
      return;
    }
    response.setStatus(403);
    response.setHeader("Referrer-Policy", "same-origin");
    response.setHeader(
        "Content-Security-Policy",
        "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
    response.setHeader("X-Frame-Options", "DENY");
    response.setContentType("text/html");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String referer = request.getHeader("Referer");
    String back =
        referer != null && Origins.ofUrl(referer.trim()).equals(Optional.of(ownOrigin))
            ? referer.trim()
            : homePath;
    response
        .getWriter()
        .write(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Access denied</title>"
                + "</head><body><h1>Access denied</h1><p>You are signed in, but this page is not"
                + " open to you.</p><p>"
                + ErrorPages.escape(error.description())
                + "</p><p><a id=\"switch-user\" href=\""
                + ErrorPages.escape(logoutPath)
                + "\">Sign in as someone else</a> (signs you out first)</p><p><a id=\"back\""
                + " href=\""
                + ErrorPages.escape(back)
                + "\">Go back</a></p></body></html>");
  }
}
