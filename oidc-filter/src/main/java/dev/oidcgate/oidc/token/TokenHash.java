package dev.oidcgate.oidc.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key a token is remembered by: its SHA-256, so no cache holds a usable token (a heap dump or a
 * cache listing shows digests, not credentials that stay valid for the token's lifetime).
 *
 * <p>Built for the per-request path: the digest is cloned from a prototype instead of looked up in
 * the security providers, and the 256 bits are kept as four longs instead of a Base64 string.
 */
public record TokenHash(long h0, long h1, long h2, long h3) {

  private static final MessageDigest PROTOTYPE;

  static {
    try {
      PROTOTYPE = MessageDigest.getInstance("SHA-256");
      Object unused =
          PROTOTYPE
              .clone(); // fails now, not per request, if this provider's digest cannot be cloned
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * The SHA-256 of the token's UTF-8 bytes, which for a b64token are its ASCII bytes. UTF-8 rather
   * than US-ASCII: for a compact string the JDK copies the bytes after one vectorized check, where
   * US-ASCII examines each byte in a loop; and unlike ISO-8859-1 it maps no two strings to one.
   */
  public static TokenHash of(String token) {
    return of(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of these bytes (a token's UTF-8 bytes, which the caller already has). */
  static TokenHash of(byte[] tokenBytes) {
    MessageDigest sha256;
    try {
      sha256 = (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
    ByteBuffer digest = ByteBuffer.wrap(sha256.digest(tokenBytes));
    return new TokenHash(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
  }

  @Override
  public String toString() {
    return "TokenHash"; // a digest is not secret, but there is no reason to print one either
  }
}
