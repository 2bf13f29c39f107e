package dev.oidcgate.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Makes the upstream's self-references in response headers point back through the proxy, so that a
 * redirect, a {@code Content-Location} or a cookie set by the upstream works for the client.
 *
 * <ul>
 *   <li>{@code Location}, {@code Content-Location}: an absolute URI on the upstream's origin, or an
 *       absolute path, that lies under the target's path prefix is mapped to the same place under
 *       the proxy's prefix. Relative references ({@code next}, {@code ../x}) already resolve
 *       correctly against the proxied URL and are left alone; so is anything pointing elsewhere.
 *   <li>{@code Set-Cookie}: {@code Path} is mapped like a path above (a path outside the target
 *       prefix, e.g. {@code /}, becomes the proxy's prefix, the widest scope the proxy serves), and
 *       {@code Domain} is removed so the cookie is bound to the host the client talks to, not the
 *       upstream's.
 * </ul>
 *
 * One instance serves one client request (it knows the client's origin). Immutable and thread-safe.
 */
final class ResponseHeaderRewriter {

  private final ProxyTarget target;
  private final String clientOrigin;
  private final String proxyPrefix;

  /**
   * @param target the upstream
   * @param clientOrigin scheme and authority the client used, e.g. {@code https://app.example:8443}
   * @param proxyPrefix the raw path prefix of the servlet, e.g. {@code /app/api}, empty at root
   */
  ResponseHeaderRewriter(ProxyTarget target, String clientOrigin, String proxyPrefix) {
    this.target = target;
    this.clientOrigin = clientOrigin;
    this.proxyPrefix = proxyPrefix;
  }

  /**
   * @return whether {@link #rewrite} may change a header of this name (any case)
   */
  static boolean rewrites(String headerName) {
    return rewritesLowerCase(headerName.toLowerCase(Locale.ROOT));
  }

  /** {@link #rewrites} for a name already lower-cased with {@code Locale.ROOT}. */
  static boolean rewritesLowerCase(String name) {
    return name.equals("location") || name.equals("content-location") || name.equals("set-cookie");
  }

  /**
   * @param headerName a header for which {@link #rewrites} is true
   * @param value the upstream's value, never {@code null}
   * @return the value the client should see
   */
  String rewrite(String headerName, String value) {
    return headerName.equalsIgnoreCase("set-cookie") ? setCookie(value) : location(value);
  }

  String location(String value) {
    String trimmed = value.trim();
    if (trimmed.startsWith("/") && !trimmed.startsWith("//")) {
      String rest = target.belowPrefix(trimmed);
      return rest == null ? value : proxied(rest);
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      return value;
    }
    if (!uri.isAbsolute() || !target.isUpstreamOrigin(uri)) {
      return value;
    }
    String afterAuthority = afterAuthority(trimmed, uri.getScheme().length() + 3);
    String rest = target.belowPrefix(afterAuthority.isEmpty() ? "/" : afterAuthority);
    return rest == null ? value : clientOrigin + proxied(rest);
  }

  String setCookie(String value) {
    String[] parts = value.split(";", -1);
    StringBuilder out = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      String attribute = parts[i].trim();
      int eq = attribute.indexOf('=');
      String name =
          (eq < 0 ? attribute : attribute.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      if (name.equals("domain")) {
        continue;
      }
      if (name.equals("path") && eq >= 0) {
        String path = attribute.substring(eq + 1).trim();
        String rest = path.startsWith("/") ? target.belowPrefix(path) : null;
        // The upstream's root is the proxy's mapping itself, which has no trailing slash: a cookie
        // for /app/api/ would not be sent to /app/api.
        attribute = "Path=" + proxied(rest == null || rest.equals("/") ? "" : rest);
      }
      if (!attribute.isEmpty()) {
        out.append("; ").append(attribute);
      }
    }
    return out.toString();
  }

  private String proxied(String rest) {
    String path = proxyPrefix + rest;
    return path.isEmpty() || path.charAt(0) != '/' ? "/" + path : path;
  }

  /** The raw path, query and fragment of an absolute URI string, starting at {@code from}. */
  private static String afterAuthority(String uri, int from) {
    for (int i = from; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return uri.substring(i);
      }
    }
    return "";
  }
}
