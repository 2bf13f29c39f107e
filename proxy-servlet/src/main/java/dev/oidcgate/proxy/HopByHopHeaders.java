package dev.oidcgate.proxy;

import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which header fields belong to one connection and must not be forwarded (RFC 9110 §7.6.1):
 * the fixed list of hop-by-hop fields, plus every field that the message's own {@code Connection}
 * header names. One instance describes one message; build it with the message's {@code Connection}
 * values. Immutable and thread-safe.
 */
final class HopByHopHeaders {

  private static final Set<String> ALWAYS =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "proxy-connection");

  /**
   * End-to-end fields a client's {@code Connection} may not turn into hop-by-hop ones: dropping
   * them would strip the credential (or the identity a filter in front of us set) on the way.
   */
  private static final Set<String> NEVER_NAMED = Set.of("authorization", "cookie", "host");

  private final Set<String> named;

  private HopByHopHeaders(Set<String> named) {
    this.named = named;
  }

  /**
   * @param connectionValues every value of the message's {@code Connection} header fields (each may
   *     be a comma-separated list), possibly none; {@code null} entries are ignored
   */
  /** A message whose {@code Connection} names no field: the fixed list only. */
  static final HopByHopHeaders FIXED = new HopByHopHeaders(Collections.emptySet());

  static HopByHopHeaders of(Iterable<String> connectionValues) {
    Set<String> named = new HashSet<>();
    for (String value : connectionValues) {
      if (value == null) {
        continue;
      }
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !NEVER_NAMED.contains(name)) {
          named.add(name);
        }
      }
    }
    return named.isEmpty() ? FIXED : new HopByHopHeaders(named);
  }

  /**
   * @return whether the field named {@code headerName} (any case) must stay on this hop
   */
  boolean isHopByHop(String headerName) {
    return isHopByHopLowerCase(headerName.toLowerCase(Locale.ROOT));
  }

  /**
   * {@link #isHopByHop} for a name the caller has already lower-cased (with {@code Locale.ROOT}).
   */
  boolean isHopByHopLowerCase(String lowerCaseName) {
    return ALWAYS.contains(lowerCaseName) || named.contains(lowerCaseName);
  }
}
