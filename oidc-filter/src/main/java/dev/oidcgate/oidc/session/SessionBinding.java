package dev.oidcgate.oidc.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The issuer and client a session belongs to. It is sealed into every session and login cookie and
 * is part of every server-side key, so that a session made by another filter (another app, or
 * another IdP) is no session here even when both share {@code sessionSecret}: otherwise an account
 * at one IdP would become a session at every app with the same secret. Immutable.
 */
public final class SessionBinding {

  private final String issuer;
  private final String clientId;
  private final String key;

  public SessionBinding(String issuer, String clientId) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.key = digest(issuer, clientId);
  }

  public String issuer() {
    return issuer;
  }

  public String clientId() {
    return clientId;
  }

  /**
   * A short, stable name for the pair: the first 128 bits of SHA-256 over the issuer, a NUL and the
   * client id, base64url.
   */
  public String key() {
    return key;
  }

  private static String digest(String issuer, String clientId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((issuer + '\0' + clientId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionBinding b && b.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return "SessionBinding[" + issuer + ", " + clientId + "]";
  }
}
