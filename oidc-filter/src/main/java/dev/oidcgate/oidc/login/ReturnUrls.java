package dev.oidcgate.oidc.login;

import org.jspecify.annotations.Nullable;

/**
 * Keeps return URLs on this origin: only a path that starts with a single {@code /} and contains no
 * backslash, control character or whitespace is kept; anything else becomes the fallback. This
 * stops {@code //evil}, {@code /\evil}, {@code \\evil}, {@code https:evil} and CR/LF injection.
 */
public final class ReturnUrls {

  static final int MAX_LENGTH = 2048;

  private ReturnUrls() {}

  public static String sameOrigin(@Nullable String candidate, String fallback) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return fallback;
    }
    if (candidate.charAt(0) != '/'
        || (candidate.length() > 1
            && (candidate.charAt(1) == '/' || candidate.charAt(1) == '\\'))) {
      return fallback;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c == '\\' || c <= 0x20 || c >= 0x7F) {
        return fallback;
      }
    }
    return candidate;
  }
}
