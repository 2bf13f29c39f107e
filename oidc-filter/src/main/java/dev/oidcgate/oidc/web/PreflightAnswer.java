package dev.oidcgate.oidc.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filter's own answer to a CORS preflight: for an origin in {@code corsOrigins}, 204 with the
 * method and headers the browser asked for, with credentials; for any other origin, or a method
 * outside {@link #METHODS}, 403 without CORS headers, which the browser reads as a refusal. The app
 * never sees the preflight. Immutable and thread-safe.
 */
public final class PreflightAnswer {

  /** The methods a cross-origin script may be allowed; not TRACE, CONNECT or made-up ones. */
  static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /** How long a browser may keep the answer (Chromium caps it at two hours). */
  static final String MAX_AGE_SECONDS = "600";

  /** {@code Access-Control-Request-Headers}: header names (RFC 9110 tokens), comma-separated. */
  private static final Pattern HEADER_NAMES =
      Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*,\\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*");

  private final Set<String> origins;

  /**
   * @param origins the allowed origins, as browsers send them in {@code Origin}
   */
  public PreflightAnswer(Set<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  /** Answers the preflight; writes no body. */
  public void write(HttpServletRequest request, HttpServletResponse response) {
    // The answer depends on the origin: a shared cache must not hand one origin's to another.
    response.addHeader("Vary", "Origin");
    String origin = request.getHeader("Origin");
    String method = request.getHeader("Access-Control-Request-Method").trim();
    String headers = request.getHeader("Access-Control-Request-Headers");
    headers = headers == null ? "" : headers.trim();
    if (!origins.contains(origin)
        || !METHODS.contains(method)
        || !(headers.isEmpty() || HEADER_NAMES.matcher(headers).matches())) {
      response.setStatus(HttpServletResponse.SC_FORBIDDEN);
      return;
    }
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Access-Control-Allow-Methods", method);
    if (!headers.isEmpty()) {
      response.setHeader("Access-Control-Allow-Headers", headers);
    }
    response.setHeader("Access-Control-Allow-Credentials", "true");
    response.setHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
  }
}
