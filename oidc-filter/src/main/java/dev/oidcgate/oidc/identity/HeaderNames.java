package dev.oidcgate.oidc.identity;

/** Checks header names against the RFC 9110 §5.6.2 {@code token} grammar. */
final class HeaderNames {

  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

  private HeaderNames() {}

  static String requireToken(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty header name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TCHAR_SYMBOLS.indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException("not a valid header name: " + name);
      }
    }
    return name;
  }
}
