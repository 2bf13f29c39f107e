package dev.oidcgate.oidc.token;

/**
 * Whether a JOSE compact serialization (JWS or JWE, RFC 7515 §7.1, RFC 7516 §7.1) is written in its
 * one canonical spelling: every part unpadded base64url (RFC 7515 §2) with the unused low bits of
 * its last character zero.
 *
 * <p>Why: Nimbus decodes leniently (it skips characters outside the alphabet, reads {@code +} and
 * {@code /} as {@code -} and {@code _}, and ignores padding and unused bits), so without this check
 * {@code sig~}, {@code sig=} or {@code s+g} verify as {@code sig}: a token or cookie that was
 * altered after signing would still be accepted, and every spelling would be a different key for
 * caches and replay checks. Found by fuzzing (docs/fuzzing.md). Stateless and thread-safe.
 */
public final class CanonicalCompact {

  private CanonicalCompact() {}

  /**
   * @param compact the whole serialization, dots included
   * @return whether every part is canonical base64url; empty parts are allowed (JWE's {@code dir}
   *     key, a detached payload)
   */
  public static boolean isCanonical(String compact) {
    int start = 0;
    for (int i = 0; i <= compact.length(); i++) {
      if (i == compact.length() || compact.charAt(i) == '.') {
        if (!isCanonicalPart(compact, start, i)) {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }

  private static boolean isCanonicalPart(String s, int start, int end) {
    int length = end - start;
    if (length % 4 == 1) {
      return false; // six bits cannot end a byte
    }
    for (int i = start; i < end; i++) {
      if (value(s.charAt(i)) < 0) {
        return false;
      }
    }
    if (length == 0) {
      return true;
    }
    int last = value(s.charAt(end - 1));
    // Two characters carry one byte and four unused bits; three carry two bytes and two.
    return switch (length % 4) {
      case 2 -> (last & 0x0F) == 0;
      case 3 -> (last & 0x03) == 0;
      default -> true;
    };
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-') {
      return 62;
    }
    return c == '_' ? 63 : -1;
  }
}
