package dev.oidcgate.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the headers that tell the upstream who the client is: {@code X-Forwarded-For}, {@code
 * -Proto}, {@code -Host}, {@code -Port} and {@code Forwarded} (RFC 7239).
 *
 * <p>Incoming forwarding headers are believed only when the direct peer is a configured trusted
 * proxy; then they are kept and this hop is appended. From anyone else they are dropped and
 * replaced, because a client could otherwise claim any address or scheme to the upstream. Immutable
 * and thread-safe.
 */
final class ForwardedHeaders {

  /** Lower-case names of every header this class owns; the servlet must not copy them itself. */
  static final Set<String> OWNED =
      Set.of(
          "forwarded",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-host",
          "x-forwarded-port",
          "x-forwarded-prefix");

  private final TrustedProxies trustedProxies;

  ForwardedHeaders(TrustedProxies trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  /**
   * What the proxy knows about this hop.
   *
   * @param remoteAddress the direct peer's IP address ({@code getRemoteAddr()})
   * @param scheme {@code http} or {@code https} as the client used it
   * @param host the client's {@code Host} header (may include a port), or {@code null}
   * @param port the port the client addressed ({@code getServerPort()})
   */
  record Hop(String remoteAddress, String scheme, String host, int port) {}

  /**
   * @return whether {@code headerName} (any case) is a forwarding header this class decides about
   */
  static boolean isOwned(String headerName) {
    return OWNED.contains(headerName.toLowerCase(Locale.ROOT));
  }

  /**
   * @param hop this hop
   * @param incoming all values of an incoming header by name (any case), an empty list if absent
   * @return header name to the single value to send upstream, in a stable order
   */
  Map<String, String> forUpstream(Hop hop, Function<String, List<String>> incoming) {
    boolean trusted = trustedProxies.contains(hop.remoteAddress());
    String forwardedFor = hop.remoteAddress();
    String proto = hop.scheme();
    String host = hop.host();
    String port = Integer.toString(hop.port());
    String forwarded = forwardedElement(hop);
    String prefix = null;
    if (trusted) {
      forwardedFor = append(incoming.apply("X-Forwarded-For"), forwardedFor);
      proto = firstOr(incoming.apply("X-Forwarded-Proto"), proto);
      host = firstOr(incoming.apply("X-Forwarded-Host"), host);
      port = firstOr(incoming.apply("X-Forwarded-Port"), port);
      forwarded = append(incoming.apply("Forwarded"), forwarded);
      prefix = firstOr(incoming.apply("X-Forwarded-Prefix"), null);
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("X-Forwarded-For", forwardedFor);
    out.put("X-Forwarded-Proto", proto);
    if (host != null) {
      out.put("X-Forwarded-Host", host);
    }
    out.put("X-Forwarded-Port", port);
    if (prefix != null) {
      out.put("X-Forwarded-Prefix", prefix);
    }
    out.put("Forwarded", forwarded);
    return out;
  }

  /**
   * One RFC 7239 forwarded-element for this hop, e.g. {@code
   * for="[2001:db8::1]";host="a:8080";proto=https}.
   */
  static String forwardedElement(Hop hop) {
    StringBuilder element = new StringBuilder("for=").append(node(hop.remoteAddress()));
    if (hop.host() != null && !hop.host().isEmpty()) {
      element.append(";host=").append(value(hop.host()));
    }
    element.append(";proto=").append(value(hop.scheme()));
    return element.toString();
  }

  /** RFC 7239 §6: an IPv6 node is bracketed, and brackets and colons force a quoted-string. */
  private static String node(String address) {
    if (address == null || address.isEmpty()) {
      return "unknown";
    }
    String bare = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    return bare.indexOf(':') >= 0 ? quote("[" + bare + "]") : value(bare);
  }

  /** A token stays as it is; anything else becomes a quoted-string (RFC 9110 §5.6.4). */
  private static String value(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!isTchar(text.charAt(i))) {
        return quote(text);
      }
    }
    return text.isEmpty() ? "\"\"" : text;
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.append('"').toString();
  }

  private static boolean isTchar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static String append(List<String> existing, String ours) {
    if (existing.isEmpty()) {
      return ours;
    }
    List<String> parts = new ArrayList<>(existing);
    parts.add(ours);
    return String.join(", ", parts);
  }

  private static String firstOr(List<String> values, String fallback) {
    return values.isEmpty() ? fallback : values.get(0);
  }
}
