package dev.oidcgate.proxy;

import java.net.URI;
import java.util.Locale;
import org.apache.hc.core5.http.HttpHost;
import org.jspecify.annotations.Nullable;

/**
 * The upstream as seen from the proxy: where requests go, and which URLs in responses point back at
 * it. Works on raw (still percent-encoded) paths only, so nothing is decoded and re-encoded on the
 * way. Immutable and thread-safe.
 */
final class ProxyTarget {

  private final URI baseUri;
  private final HttpHost host;
  private final String pathPrefix;

  /**
   * @param baseUri an absolute http(s) URI without query or fragment, as {@link ProxyConfig}
   *     validated it
   */
  ProxyTarget(URI baseUri) {
    this.baseUri = baseUri;
    this.host =
        new HttpHost(
            baseUri.getScheme().toLowerCase(Locale.ROOT), baseUri.getHost(), baseUri.getPort());
    String rawPath = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
    // A trailing slash on the target is a separator, not part of the prefix: /base/ + /x is
    // /base/x.
    this.pathPrefix = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
  }

  /** The base URI as configured. */
  URI baseUri() {
    return baseUri;
  }

  /** The host to connect to; its port is -1 when the scheme's default applies. */
  HttpHost host() {
    return host;
  }

  /**
   * @param forwardPath the raw path below the servlet's mapping, empty or starting with {@code /}
   * @param rawQuery the raw query string, or {@code null} when the request had none
   * @return the request-target for the upstream: prefix + path, byte for byte, plus {@code ?query}
   */
  String upstreamRequestTarget(String forwardPath, @Nullable String rawQuery) {
    String path = pathPrefix + forwardPath;
    if (path.isEmpty()) {
      path = "/";
    }
    return rawQuery == null ? path : path + "?" + rawQuery;
  }

  /**
   * @param rawPath an absolute path on the upstream, e.g. from a {@code Location} header
   * @return the part below the target's path prefix (empty or starting with {@code /}, possibly
   *     followed by {@code ?} or {@code #}), or {@code null} if the path lies outside the prefix
   */
  @Nullable String belowPrefix(String rawPath) {
    if (pathPrefix.isEmpty()) {
      return rawPath;
    }
    if (!rawPath.startsWith(pathPrefix)) {
      return null;
    }
    String rest = rawPath.substring(pathPrefix.length());
    if (rest.isEmpty() || rest.charAt(0) == '/' || rest.charAt(0) == '?' || rest.charAt(0) == '#') {
      return rest;
    }
    return null;
  }

  /** Whether {@code uri} (absolute) names the upstream's scheme, host and port. */
  boolean isUpstreamOrigin(URI uri) {
    if (uri.getScheme() == null || uri.getHost() == null) {
      return false;
    }
    return uri.getScheme().equalsIgnoreCase(host.getSchemeName())
        && uri.getHost().equalsIgnoreCase(host.getHostName())
        && effectivePort(uri.getScheme(), uri.getPort())
            == effectivePort(host.getSchemeName(), host.getPort());
  }

  private static int effectivePort(String scheme, int port) {
    if (port >= 0) {
      return port;
    }
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }
}
