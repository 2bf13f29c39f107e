package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import org.jspecify.annotations.Nullable;

/**
 * Splits the raw request URI at the end of the servlet's mapping, without decoding anything.
 *
 * <p>Why not {@code getPathInfo()}: the container decodes it, so {@code %2F}, {@code %25} and
 * {@code %3F} would reach the upstream as different bytes (or as a different path). Instead the
 * proxy counts path segments of the (decoded) context and servlet paths and skips as many segments
 * of the raw URI.
 *
 * @param proxyPrefix the raw path under which the client reached this servlet (context path plus
 *     the servlet's path mapping, path parameters removed), e.g. {@code /app/api}; empty at root
 * @param forwardPath the raw rest of the path, empty or starting with {@code /}, e.g. {@code
 *     /get%2Fx}
 */
record IncomingPath(String proxyPrefix, String forwardPath) {

  /** The request's path split at the end of the servlet mapping that matched it. */
  static IncomingPath of(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
    boolean strip = match == MappingMatch.PATH || match == MappingMatch.EXACT;
    return of(request.getRequestURI(), request.getContextPath(), request.getServletPath(), strip);
  }

  /**
   * @param rawRequestUri {@code getRequestURI()}: the raw path, no query
   * @param contextPath {@code getContextPath()}, empty for the root context
   * @param servletPath {@code getServletPath()}
   * @param stripServletPath whether the mapping is a path or exact mapping ({@code /api/*}, {@code
   *     /api}) whose matched part should not reach the upstream; {@code false} for the default
   *     ({@code /}) and extension mappings, which forward the whole path
   */
  static IncomingPath of(
      String rawRequestUri, String contextPath, String servletPath, boolean stripServletPath) {
    int segments = segmentCount(contextPath) + (stripServletPath ? segmentCount(servletPath) : 0);
    int end = 0;
    for (int i = 0; i < segments && end < rawRequestUri.length(); i++) {
      int next = rawRequestUri.indexOf('/', end + 1);
      end = next < 0 ? rawRequestUri.length() : next;
    }
    return new IncomingPath(
        withoutPathParameters(rawRequestUri.substring(0, end)), rawRequestUri.substring(end));
  }

  private static int segmentCount(@Nullable String decodedPath) {
    if (decodedPath == null || decodedPath.isEmpty() || decodedPath.equals("/")) {
      return 0;
    }
    int count = 0;
    for (int i = 0; i < decodedPath.length(); i++) {
      if (decodedPath.charAt(i) == '/') {
        count++;
      }
    }
    return count;
  }

  /**
   * {@code /app;jsessionid=1/api} becomes {@code /app/api}: the prefix is used to build URLs for
   * clients.
   */
  private static String withoutPathParameters(String rawPrefix) {
    if (rawPrefix.indexOf(';') < 0) {
      return rawPrefix;
    }
    StringBuilder out = new StringBuilder(rawPrefix.length());
    boolean skipping = false;
    for (int i = 0; i < rawPrefix.length(); i++) {
      char c = rawPrefix.charAt(i);
      if (c == ';') {
        skipping = true;
      } else if (c == '/') {
        skipping = false;
      }
      if (!skipping) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
