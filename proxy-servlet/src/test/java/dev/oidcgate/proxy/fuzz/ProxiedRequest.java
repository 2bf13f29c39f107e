package dev.oidcgate.proxy.fuzz;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the URL fuzz target sends, read from its {@code byte[]} input, and the request a servlet
 * container would hand the proxy for it. Shared with the test that replays the corpus over HTTP.
 *
 * <p>Layout: a mode byte (bit 0: the upstream is {@code https://upstream.example} at its root
 * instead of {@code http://upstream.example:8080/base}; bit 1: the proxy is the default servlet of
 * the root context instead of {@code /api/*} in context {@code /app}), then UTF-8 text: the raw
 * request-target below the mapping (split at {@code ?} and {@code #} as a container does), then
 * optionally NUL and more raw query.
 */
public record ProxiedRequest(boolean rootUpstream, boolean rootMapping, String path, String query) {

  public static ProxiedRequest of(byte[] input) {
    int mode = input.length == 0 ? 0 : Byte.toUnsignedInt(input[0]);
    String text =
        input.length == 0 ? "" : new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    int nul = text.indexOf('\0');
    String path = nul < 0 ? text : text.substring(0, nul);
    String query = nul < 0 ? null : text.substring(nul + 1);
    // As a container splits the request-target: the path ends at the first ? (the query starts
    // there) and a fragment is never part of it.
    int hash = path.indexOf('#');
    path = hash < 0 ? path : path.substring(0, hash);
    int question = path.indexOf('?');
    if (question >= 0) {
      String inPath = path.substring(question + 1);
      query = query == null ? inPath : inPath + "&" + query;
      path = path.substring(0, question);
    }
    if (!path.startsWith("/")) {
      path = "/" + path; // the container only routes paths below the mapping here
    }
    return new ProxiedRequest((mode & 1) != 0, (mode & 2) != 0, path, query);
  }

  public String upstream() {
    return rootUpstream ? "https://upstream.example" : "http://upstream.example:8080/base";
  }

  String contextPath() {
    return rootMapping ? "" : "/app";
  }

  /** The raw request URI, as {@code getRequestURI()} returns it. */
  String requestUri() {
    return rootMapping ? path : "/app/api" + path;
  }

  /** The request a container would pass for this input (a GET without a body). */
  HttpServletRequest servletRequest() {
    HttpServletMapping mapping =
        (HttpServletMapping)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpServletMapping.class},
                (p, m, a) ->
                    switch (m.getName()) {
                      case "getMappingMatch" ->
                          rootMapping ? MappingMatch.DEFAULT : MappingMatch.PATH;
                      case "getPattern" -> rootMapping ? "/" : "/api/*";
                      default -> "";
                    });
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "getRequestURI" -> requestUri();
                  case "getContextPath" -> contextPath();
                  case "getServletPath" -> rootMapping ? path : "/api";
                  case "getHttpServletMapping" -> mapping;
                  case "getQueryString" -> query;
                  case "getMethod" -> "GET";
                  case "getScheme" -> "http";
                  case "getServerName" -> "proxy.example";
                  case "getServerPort" -> 80;
                  case "getRemoteAddr" -> "192.0.2.1";
                  case "getContentLengthLong" -> -1L;
                  case "getContentLength" -> -1;
                  case "getHeaderNames" -> Collections.enumeration(List.of("Host"));
                  case "getHeaders" ->
                      Collections.enumeration(
                          "Host".equalsIgnoreCase((String) a[0])
                              ? List.of("proxy.example")
                              : List.<String>of());
                  case "getHeader" ->
                      "Host".equalsIgnoreCase((String) a[0]) ? "proxy.example" : null;
                  case "isSecure" -> false;
                  case "toString" -> "GET " + requestUri();
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  /** Dot segments, an encoded slash or backslash, or a raw backslash, anywhere in a raw path. */
  public static boolean escapes(String rawPath) {
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")) {
      return true;
    }
    for (String segment : rawPath.split("/", -1)) {
      String name = decodeAscii(segment);
      int semicolon = name.indexOf(';');
      name = semicolon < 0 ? name : name.substring(0, semicolon);
      if (name.equals(".") || name.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static String decodeAscii(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%' && i + 2 < s.length()) {
        int v = Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16);
        if (Character.digit(s.charAt(i + 1), 16) >= 0
            && Character.digit(s.charAt(i + 2), 16) >= 0
            && v < 0x80) {
          out.append((char) v);
          i += 2;
          continue;
        }
      }
      out.append(s.charAt(i));
    }
    return out.toString();
  }
}
