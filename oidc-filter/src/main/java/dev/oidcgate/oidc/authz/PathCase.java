package dev.oidcgate.oidc.authz;

import java.util.Locale;

/**
 * Whether path rules tell paths apart by the case of their letters. Many upstreams route
 * case-insensitively (IIS and ASP.NET, Spring with case-insensitive matching, a proxy to either),
 * where {@code /ADMIN/users} is the page {@code /admin/*} protects; a rule then has to cover every
 * case variant.
 */
public enum PathCase {
  /** A rule covers its pattern in every case variant: {@code /admin/*} covers {@code /ADMIN/x}. */
  INSENSITIVE,
  /** A rule covers its pattern exactly as written. */
  SENSITIVE;

  /** The value as written in configuration. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The text as rules compare it: unchanged, or case-folded. */
  public String fold(String text) {
    return this == SENSITIVE ? text : foldCase(text);
  }

  /**
   * Folds as {@link String#equalsIgnoreCase} compares (upper case, then lower case, per code
   * point), so spellings like the long s ({@code ſ}) or the Kelvin sign fold with their ASCII
   * letters, as case-insensitive upstreams compare them.
   */
  private static String foldCase(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(c -> out.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return out.toString();
  }
}
