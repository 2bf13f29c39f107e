package dev.oidcgate.oidc.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The page that lets a person choose where to sign in ({@code loginIssuerChooser}). Each choice is
 * a link of only a query, {@code ?oidc_issuer=name}, so it stays on this page's own path and
 * origin: nothing from the request is written into the page, and no link can lead elsewhere.
 */
public final class IssuerChooser {

  private IssuerChooser() {}

  /**
   * Answers 200 with the page (a browser navigation; API clients get 401 before this).
   *
   * @param parameter {@code loginIssuerParameter}
   * @param issuersByName the names of {@code issuerClients} (a-z, 0-9, {@code -}) and their issuers
   */
  public static void write(
      HttpServletResponse response, String parameter, Map<String, String> issuersByName)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    StringBuilder links = new StringBuilder();
    issuersByName.forEach(
        (name, issuer) ->
            links
                .append("<li><a href=\"?")
                .append(ErrorPages.escape(parameter))
                .append('=')
                .append(ErrorPages.escape(name))
                .append("\">")
                .append(ErrorPages.escape(name))
                .append("</a> (")
                .append(ErrorPages.escape(issuer))
                .append(")</li>"));
    response.reset();
    response.setStatus(200);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    response.setHeader("X-Frame-Options", "DENY");
    response.setContentType("text/html");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in</title></head>"
                + "<body><h1>Sign in with</h1><ul>"
                + links
                + "</ul></body></html>");
  }
}
