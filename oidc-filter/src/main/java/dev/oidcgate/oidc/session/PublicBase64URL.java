package dev.oidcgate.oidc.session;

import com.nimbusds.jose.util.Base64URL;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * A Base64url part of a JWE that is no secret (IV, ciphertext, tag: the browser holds them),
 * decoded by the JDK. Nimbus decodes in constant time, which a key needs and a ciphertext does not;
 * on a session cookie's ~2 KB that was half the cost of opening it. Malformed input throws {@link
 * IllegalArgumentException}, so the cookie does not open.
 */
final class PublicBase64URL extends Base64URL {

  private static final long serialVersionUID = 1L;

  private PublicBase64URL(String value) {
    super(value);
  }

  static @Nullable Base64URL of(@Nullable Base64URL part) {
    return part == null ? null : new PublicBase64URL(part.toString());
  }

  @Override
  public byte[] decode() {
    return Base64.getUrlDecoder().decode(toString());
  }
}
