package dev.oidcgate.oidc.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A set of header names and name prefixes ({@code OIDC_CLAIM_*}), compared the way the apps behind
 * us compare them: case-insensitively, and with {@code _} read as {@code -}, because CGI, WSGI,
 * Rack and PHP turn both {@code X-User} and {@code X_User} into {@code HTTP_X_USER}. A filter that
 * removed only {@code X-User} would let {@code X_User} through to them (oauth2-proxy's
 * CVE-2025-64484). Immutable and thread-safe.
 */
public final class HeaderMatcher {

  /** Matches nothing. */
  public static final HeaderMatcher NONE = new HeaderMatcher(List.of());

  private final Set<String> names = new HashSet<>();
  private final List<String> prefixes = new ArrayList<>();

  /**
   * @param patterns header names, each optionally ending in {@code *} to match a prefix
   * @throws IllegalArgumentException for a pattern that is not a header name
   */
  public HeaderMatcher(Collection<String> patterns) {
    for (String pattern : patterns) {
      boolean prefix = pattern.endsWith("*");
      String name = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
      String canonical = canonical(HeaderNames.requireToken(name));
      if (prefix) {
        prefixes.add(canonical);
      } else {
        names.add(canonical);
      }
    }
  }

  public boolean matches(String headerName) {
    String canonical = canonical(headerName);
    if (names.contains(canonical)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (canonical.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** A matcher for the names of both. */
  public HeaderMatcher and(HeaderMatcher other) {
    HeaderMatcher both = new HeaderMatcher(List.of());
    both.names.addAll(names);
    both.names.addAll(other.names);
    both.prefixes.addAll(prefixes);
    both.prefixes.addAll(other.prefixes);
    return both;
  }

  static String canonical(String headerName) {
    return headerName.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
