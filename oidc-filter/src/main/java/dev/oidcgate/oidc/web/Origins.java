package dev.oidcgate.oidc.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Web origins (RFC 6454 §6.1) as text, the way browsers serialise them in {@code Origin}: scheme
 * and host in lower case, the port only when it is not the scheme's default.
 */
final class Origins {

  private Origins() {}

  static String of(String scheme, String host, int port) {
    String s = scheme.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]"; // an IPv6 literal
    }
    boolean defaultPort =
        port < 0 || (s.equals("http") && port == 80) || (s.equals("https") && port == 443);
    return s + "://" + h + (defaultPort ? "" : ":" + port);
  }

  /** The origin a request reached this server at: its scheme, {@code Host} and port. */
  static String of(HttpServletRequest request) {
    return of(request.getScheme(), request.getServerName(), request.getServerPort());
  }

  /** The origin of an absolute http(s) URL; empty for anything else (relative, opaque, junk). */
  static Optional<String> ofUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || uri.getHost() == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        return Optional.empty();
      }
      return Optional.of(of(scheme, uri.getHost(), uri.getPort()));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
