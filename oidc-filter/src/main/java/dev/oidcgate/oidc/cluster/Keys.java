package dev.oidcgate.oidc.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The names of what the filter keeps in {@link SharedState}. Every key is {@code oidc-gate:}, a
 * namespace for one issuer and client (so two apps can share a Redis), a kind, and a SHA-256 of the
 * identifying values: a session id, {@code sid} or {@code sub} never appears in Redis in clear, so
 * reading Redis gives no cookie to replay. Immutable.
 */
public final class Keys {

  private final String prefix;

  public Keys(String issuer, String clientId) {
    this.prefix = "oidc-gate:" + hash(issuer + "\n" + clientId).substring(0, 12) + ":";
  }

  /** A server-side session, by its id (the cookie's value). */
  public String session(String sessionId) {
    return prefix + "s:" + hash(sessionId);
  }

  /** The record that a session (any store) was ended by logout. */
  String endedSession(String sessionId) {
    return prefix + "e:" + hash(sessionId);
  }

  /** The record that the IdP ended its session {@code sid}. */
  String endedSid(String issuer, String sid) {
    return prefix + "sid:" + hash(issuer + "\n" + sid);
  }

  /** The record that every session of {@code sub} made before a time was ended. */
  String endedSubject(String issuer, String subject) {
    return prefix + "sub:" + hash(issuer + "\n" + subject);
  }

  /** The record that sessions of {@code sub} with no {@code sid} made before a time were ended. */
  String endedSubjectWithoutSid(String issuer, String subject) {
    return prefix + "subn:" + hash(issuer + "\n" + subject);
  }

  /** A logout token's {@code jti}, once used. */
  String usedJti(String issuer, String jti) {
    return prefix + "jti:" + hash(issuer + "\n" + jti);
  }

  /** The DPoP server nonce of one period (RFC 9449 §8), the same on every node. */
  String dpopNonce(long period) {
    return prefix + "dn:" + period;
  }

  /** Who is refreshing the tokens behind one refresh token. */
  String refreshLock(String refreshToken) {
    return prefix + "rl:" + hash(refreshToken);
  }

  /** The result of spending one refresh token, for the nodes that did not spend it. */
  String refreshResult(String refreshToken) {
    return prefix + "rr:" + hash(refreshToken);
  }

  /** A form body kept for the login that will replay it, by its random id. */
  String preservedPost(String id) {
    return prefix + "pp:" + hash(id);
  }

  /** The record that a kept form body was taken (so it is replayed once, on any node). */
  String preservedPostTaken(String id) {
    return prefix + "ppt:" + hash(id);
  }

  /** The app's own client-credentials token for one upstream target (upstreamToken=client). */
  String upstreamClientToken(String target) {
    return prefix + "uct:" + hash(target);
  }

  static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
