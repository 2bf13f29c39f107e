package dev.oidcgate.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code GET /oidc-route/app/}: the single-page sample, served by the WAR itself (its files are in
 * {@code WEB-INF/spa}, which no URL reaches directly) behind the {@code /oidc-route/*} filter, so
 * the page, its session info and its API calls share one origin and one session cookie. Its mapping
 * is longer than the proxy's {@code /oidc-route/*}, so these paths are never forwarded. The page
 * runs no inline script: a strict Content-Security-Policy allows only this origin's files.
 */
public final class SpaServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The files, by the path under the mapping, with their types. */
  private static final Map<String, String> FILES =
      Map.of(
          "/", "text/html;charset=UTF-8",
          "/index.html", "text/html;charset=UTF-8",
          "/app.js", "text/javascript;charset=UTF-8");

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    if (path.isEmpty()) {
      // /oidc-route/app without the slash: the page's relative URLs need it
      response.sendRedirect(request.getRequestURI() + "/");
      return;
    }
    String type = FILES.get(path);
    if (type == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    String file = "/WEB-INF/spa" + (path.equals("/") ? "/index.html" : path);
    try (InputStream in = getServletContext().getResourceAsStream(file)) {
      if (in == null) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      response.setContentType(type);
      response.setHeader("Cache-Control", "no-cache");
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader(
          "Content-Security-Policy",
          "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self';"
              + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      in.transferTo(response.getOutputStream());
    }
  }
}
