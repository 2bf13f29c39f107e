package dev.oidcgate.oidc.session;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.util.Base64URL;
import dev.oidcgate.oidc.token.CanonicalCompact;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens cookie contents as compact JWE: {@code dir} + {@code A256GCM} (AES-GCM, a fresh
 * random IV per write, a 128-bit tag) with the purpose in the protected header, which GCM
 * authenticates as associated data, so a login cookie can never be replayed as a session cookie.
 * Keys are derived from the configured secrets (HMAC-SHA256 as the extract step of RFC 5869); the
 * first secret seals, all of them open, which is how keys are rotated. A crypto {@link
 * #boundTo(SessionBinding) bound} to an issuer and client also puts their {@link
 * SessionBinding#key() key} in the protected header and opens only values that carry the same, so
 * another filter's cookie is refused even when both share the secrets. Thread-safe.
 */
public final class SessionCrypto {

  private static final String PURPOSE_PARAM = "pur";
  private static final String BINDING_PARAM = "bnd";
  private static final byte[] KEY_LABEL =
      "oidc-gate session key v1".getBytes(StandardCharsets.US_ASCII);

  private final String sealingKid;
  private final Map<String, byte[]> keys;
  private final String binding;

  private SessionCrypto(Map<String, byte[]> keys, String binding) {
    this.keys = keys;
    this.sealingKid = keys.keySet().iterator().next();
    this.binding = binding;
  }

  /**
   * The same keys, sealing and opening only for {@code binding}: a value sealed for another issuer
   * or client, or by an unbound crypto, does not open.
   */
  public SessionCrypto boundTo(SessionBinding binding) {
    return new SessionCrypto(keys, binding.key());
  }

  /**
   * @param secrets at least one; each at least 32 characters
   * @throws IllegalArgumentException when a secret is too short
   */
  public static SessionCrypto fromSecrets(List<String> secrets) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String secret : secrets) {
      if (secret.length() < 32) {
        throw new IllegalArgumentException("each secret must be at least 32 characters");
      }
      byte[] key = derive(secret.getBytes(StandardCharsets.UTF_8));
      keys.put(kid(key), key);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one secret is needed");
    }
    return new SessionCrypto(keys, null);
  }

  /**
   * A random key that lives as long as this process (sessions end at restart and span no nodes).
   */
  public static SessionCrypto random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, byte[]> keys = new LinkedHashMap<>();
    keys.put(kid(key), key);
    return new SessionCrypto(keys, null);
  }

  public String seal(String purpose, String plaintext) {
    JWEHeader.Builder header =
        new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
            .keyID(sealingKid)
            .compressionAlgorithm(CompressionAlgorithm.DEF)
            .customParam(PURPOSE_PARAM, purpose);
    if (binding != null) {
      header.customParam(BINDING_PARAM, binding);
    }
    JWEObject jwe = new JWEObject(header.build(), new Payload(plaintext));
    try {
      jwe.encrypt(new DirectEncrypter(keys.get(sealingKid)));
    } catch (JOSEException e) {
      throw new IllegalStateException("AES-256-GCM is required of every JVM", e);
    }
    return jwe.serialize();
  }

  /**
   * The plaintext, or empty when the value was not sealed by us for this purpose and binding, or
   * was altered.
   */
  public Optional<String> open(String purpose, String sealed) {
    if (!CanonicalCompact.isCanonical(sealed)) {
      return Optional.empty(); // another spelling of a sealed value is not the value we wrote
    }
    try {
      JWEObject jwe = JWEObject.parse(sealed);
      JWEHeader h = jwe.getHeader();
      if (!JWEAlgorithm.DIR.equals(h.getAlgorithm())
          || !EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())
          || !purpose.equals(h.getCustomParam(PURPOSE_PARAM))
          || !java.util.Objects.equals(binding, h.getCustomParam(BINDING_PARAM))
          || h.getKeyID() == null) {
        return Optional.empty();
      }
      byte[] key = keys.get(h.getKeyID());
      if (key == null) {
        return Optional.empty();
      }
      jwe.decrypt(new DirectDecrypter(key));
      return Optional.of(jwe.getPayload().toString());
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static byte[] derive(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY_LABEL, "HmacSHA256"));
      return mac.doFinal(secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  private static String kid(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return Base64URL.encode(java.util.Arrays.copyOf(digest, 6)).toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
