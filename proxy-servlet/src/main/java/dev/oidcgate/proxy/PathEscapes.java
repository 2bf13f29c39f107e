package dev.oidcgate.proxy;

import org.jspecify.annotations.Nullable;

/**
 * Refuses raw request paths that could climb out of the target's path prefix or name a different
 * resource upstream than the one the container routed here.
 *
 * <p>The proxy forwards the raw path byte for byte, and the container routes on its own normalised,
 * decoded path; whenever the two can differ, the upstream may resolve the path above the target's
 * prefix ({@code /base/../admin}) or the request may bypass constraints set on the normalised path.
 * The refused forms are:
 *
 * <ul>
 *   <li>dot segments ({@code .} or {@code ..}, RFC 3986 §5.2.4), raw or percent-encoded in any case
 *       ({@code %2e%2e}, {@code .%2E}), also with path parameters ({@code ..;a=b}, {@code .;},
 *       {@code ..%3B}), because servers differ on whether parameters are cut before resolving;
 *   <li>an encoded slash ({@code %2F}): a server that decodes before routing sees an extra segment,
 *       so {@code ..%2F} is traversal there;
 *   <li>a backslash, raw or as {@code %5C}: Windows servers and several frameworks read it as
 *       {@code /};
 *   <li>an upstream request-target that starts with {@code //} ({@link #refusalOfUpstreamTarget}).
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class PathEscapes {

  private PathEscapes() {}

  /**
   * @param rawPath the raw request path, no query ({@code getRequestURI()}): the whole of it, since
   *     a dot segment before the servlet's mapping also shifts which raw segments are forwarded
   * @return the 400 to answer with, or {@code null} if the path is safe to forward
   */
  static @Nullable ProxyException refusal(String rawPath) {
    int start = 0;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      String segment = decodeAscii(rawPath.substring(start, end));
      if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0) {
        return new ProxyException(
            400, "Bad Request: the path contains an encoded slash or a backslash");
      }
      int parameters = segment.indexOf(';');
      String name = parameters < 0 ? segment : segment.substring(0, parameters);
      if (name.equals(".") || name.equals("..")) {
        return new ProxyException(400, "Bad Request: the path contains a dot segment");
      }
      start = end + 1;
    }
    return null;
  }

  /**
   * @param upstreamTarget the request-target about to be sent upstream (target prefix, forwarded
   *     path, query)
   * @return the 400 to answer with when it starts with {@code //}, or {@code null}: with a target
   *     at the upstream's root, a client path {@code //evil.example/x} would be sent as is, and
   *     anything upstream that resolves it as a URI reference (RFC 3986 §4.2, network-path) reads
   *     another host there
   */
  static @Nullable ProxyException refusalOfUpstreamTarget(String upstreamTarget) {
    if (upstreamTarget.startsWith("//")) {
      return new ProxyException(400, "Bad Request: the path starts with an empty segment");
    }
    return null;
  }

  /**
   * Decodes {@code %XX} escapes of ASCII characters and leaves everything else (other bytes,
   * malformed escapes) as it is: only {@code .}, {@code ;}, {@code /} and {@code \} matter here.
   */
  private static String decodeAscii(String rawSegment) {
    if (rawSegment.indexOf('%') < 0) {
      return rawSegment;
    }
    StringBuilder out = new StringBuilder(rawSegment.length());
    for (int i = 0; i < rawSegment.length(); i++) {
      char c = rawSegment.charAt(i);
      if (c == '%' && i + 2 < rawSegment.length()) {
        int value = hex(rawSegment.charAt(i + 1)) * 16 + hex(rawSegment.charAt(i + 2));
        if (value >= 0 && value < 0x80) {
          out.append((char) value);
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  /** The value of an ASCII hex digit, or a large negative number for anything else. */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1024;
  }
}
