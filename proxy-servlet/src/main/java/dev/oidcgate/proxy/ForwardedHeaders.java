package dev.oidcgate.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds the headers that tell the upstream who the client is: {@code X-Forwarded-For}, {@code
 * -Proto}, {@code -Host}, {@code -Port} and {@code Forwarded} (RFC 7239), and, if configured,
 * {@code X-Real-IP}.
 *
 * <p>Incoming forwarding headers are believed only when the direct peer is a configured trusted
 * proxy; then they are kept and this hop is appended. From anyone else they are dropped and
 * replaced, because a client could otherwise claim any address or scheme to the upstream. The same
 * goes for the other headers that proxies and CDNs use to name the client or the original URL
 * ({@link #CLAIMS}): kept from a trusted proxy, dropped from anyone else. Names are compared after
 * case-folding and reading {@code _} as {@code -}, because CGI, WSGI, Rack and PHP read {@code
 * X_Real_IP} as {@code X-Real-IP}. Immutable and thread-safe.
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

  /**
   * Lower-case names of headers that upstreams commonly believe about the client's address (nginx's
   * {@code X-Real-IP}, CDNs' {@code True-Client-IP}, {@code X-Client-IP}) or the URL it asked for
   * (IIS and Symfony honour {@code X-Original-URL} and {@code X-Rewrite-URL} over the request line,
   * which bypasses path-based access rules).
   */
  static final Set<String> CLAIMS =
      Set.of("x-real-ip", "true-client-ip", "x-client-ip", "x-original-url", "x-rewrite-url");

  private final TrustedProxies trustedProxies;
  private final boolean realIpHeader;

  /**
   * @param realIpHeader whether to send {@code X-Real-IP} with the client's address
   */
  ForwardedHeaders(TrustedProxies trustedProxies, boolean realIpHeader) {
    this.trustedProxies = trustedProxies;
    this.realIpHeader = realIpHeader;
  }

  /**
   * What the proxy knows about this hop.
   *
   * @param remoteAddress the direct peer's IP address ({@code getRemoteAddr()})
   * @param scheme {@code http} or {@code https} as the client used it
   * @param host the client's {@code Host} header (may include a port), or {@code null}
   * @param port the port the client addressed ({@code getServerPort()})
   */
  record Hop(String remoteAddress, String scheme, @Nullable String host, int port) {}

  /**
   * @return whether {@code remoteAddress}, the direct peer, is a trusted proxy
   */
  boolean trusts(String remoteAddress) {
    return trustedProxies.contains(remoteAddress);
  }

  /**
   * @param headerName an incoming header's name, any case, {@code _} or {@code -}
   * @param trustedPeer whether the direct peer is a trusted proxy
   * @return whether the servlet copies the header as it came: never a forwarding header (this class
   *     builds those), a client claim only from a trusted proxy
   */
  static boolean copiedAsIs(String headerName, boolean trustedPeer) {
    return copiedAsIsLowerCase(headerName.toLowerCase(Locale.ROOT), trustedPeer);
  }

  /**
   * {@link #copiedAsIs} for a name the caller has already lower-cased (with {@code Locale.ROOT}).
   */
  static boolean copiedAsIsLowerCase(String lowerCaseName, boolean trustedPeer) {
    String name = lowerCaseName.indexOf('_') < 0 ? lowerCaseName : lowerCaseName.replace('_', '-');
    return !OWNED.contains(name) && (trustedPeer || !CLAIMS.contains(name));
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
    // From a trusted proxy an X-Real-IP it sent goes on as it came (copiedAsIs).
    if (realIpHeader && !(trusted && !incoming.apply("X-Real-IP").isEmpty())) {
      String client = clientAddress(forwardedFor);
      if (client != null) {
        out.put("X-Real-IP", client);
      }
    }
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
  private static String node(@Nullable String address) {
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

  /**
   * The client as far as this proxy can tell: in the outgoing {@code X-Forwarded-For} chain (this
   * hop's peer last), the rightmost entry that is not a trusted proxy. From an untrusted peer that
   * is the peer; entries left of it were written by someone untrusted and prove nothing.
   */
  private @Nullable String clientAddress(@Nullable String forwardedFor) {
    if (forwardedFor == null) {
      return null;
    }
    List<String> chain = new ArrayList<>();
    for (String entry : forwardedFor.split(",")) {
      if (!entry.isBlank()) {
        chain.add(entry.trim());
      }
    }
    for (int i = chain.size() - 1; i >= 0; i--) {
      if (!trustedProxies.contains(chain.get(i))) {
        return chain.get(i);
      }
    }
    return chain.isEmpty() ? null : chain.get(0);
  }

  private static String append(List<String> existing, String ours) {
    if (existing.isEmpty()) {
      return ours;
    }
    List<String> parts = new ArrayList<>(existing);
    parts.add(ours);
    return String.join(", ", parts);
  }

  private static @Nullable String firstOr(List<String> values, @Nullable String fallback) {
    return values.isEmpty() ? fallback : values.get(0);
  }
}
