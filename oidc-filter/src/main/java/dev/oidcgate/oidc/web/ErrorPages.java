package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.error.OidcError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A short HTML page for errors a person meets in the browser (a failed login), with escaped text.
 */
final class ErrorPages {

  private ErrorPages() {}

  static void write(HttpServletResponse response, OidcError error) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.setStatus(error.status());
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy", "default-src 'none'");
    if (error.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
    }
    response.setContentType("text/html");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign-in failed"
                + "</title></head><body><h1>Sign-in failed</h1><p>"
                + escape(error.description())
                + "</p></body></html>");
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
