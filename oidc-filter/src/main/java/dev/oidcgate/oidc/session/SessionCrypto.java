package dev.oidcgate.oidc.session;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
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
import java.security.Provider;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Seals and opens cookie contents as compact JWE: {@code dir} + {@code A256GCM} (AES-GCM, a fresh
 * random IV per write, a 128-bit tag) with the purpose in the protected header, which GCM
 * authenticates as associated data, so a login cookie can never be replayed as a session cookie.
 * Keys are derived from the configured secrets (HMAC-SHA256 as the extract step of RFC 5869); the
 * first secret seals, all of them open, which is how keys are rotated. A crypto {@link
 * #boundTo(SessionBinding) bound} to an issuer and client also puts their {@link
 * SessionBinding#key() key} in the protected header and opens only values that carry the same, so
 * another filter's cookie is refused even when both share the secrets.
 *
 * <p>This runs on every request of a cookie session, so what does not change per message is made
 * once: each key's encrypter and decrypter (one {@link SecureRandom} for all IVs, the AES-GCM
 * provider looked up at start-up rather than per message), and each purpose's protected header with
 * its Base64url form. Thread-safe.
 */
public final class SessionCrypto {

  private static final String PURPOSE_PARAM = "pur";
  private static final String BINDING_PARAM = "bnd";
  private static final byte[] KEY_LABEL =
      "oidc-gate session key v1".getBytes(StandardCharsets.US_ASCII);

  /** The provider {@link Cipher#getInstance(String)} picks for AES-GCM here, found once. */
  private static final Provider AES_GCM = aesGcmProvider();

  private static final SecureRandom IVS = new SecureRandom();

  private final String sealingKid;
  private final Map<String, byte[]> keys;
  private final @Nullable String binding;
  private final DirectEncrypter encrypter;
  private final Map<String, DirectDecrypter> decrypters = new LinkedHashMap<>();
  private final Map<String, JWEHeader> sealingHeaders = new ConcurrentHashMap<>();

  private SessionCrypto(Map<String, byte[]> keys, @Nullable String binding) {
    this.keys = keys;
    this.sealingKid = keys.keySet().iterator().next();
    this.binding = binding;
    try {
      encrypter = new DirectEncrypter(keys.get(sealingKid));
      encrypter.getJCAContext().setSecureRandom(IVS);
      encrypter.getJCAContext().setContentEncryptionProvider(AES_GCM);
      for (Map.Entry<String, byte[]> key : keys.entrySet()) {
        DirectDecrypter decrypter = new DirectDecrypter(key.getValue());
        decrypter.getJCAContext().setContentEncryptionProvider(AES_GCM);
        decrypters.put(key.getKey(), decrypter);
      }
    } catch (JOSEException e) {
      throw new IllegalStateException("AES-256-GCM is required of every JVM", e);
    }
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
    JWEObject jwe =
        new JWEObject(
            sealingHeaders.computeIfAbsent(purpose, this::sealingHeader), new Payload(plaintext));
    try {
      jwe.encrypt(encrypter);
    } catch (JOSEException e) {
      throw new IllegalStateException("AES-256-GCM is required of every JVM", e);
    }
    return jwe.serialize();
  }

  /** The protected header for {@code purpose}, with its Base64url form made once. */
  private JWEHeader sealingHeader(String purpose) {
    JWEHeader.Builder header =
        new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
            .keyID(sealingKid)
            .compressionAlgorithm(CompressionAlgorithm.DEF)
            .customParam(PURPOSE_PARAM, purpose);
    if (binding != null) {
      header.customParam(BINDING_PARAM, binding);
    }
    JWEHeader built = header.build();
    return new JWEHeader.Builder(built).parsedBase64URL(built.toBase64URL()).build();
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
      Base64URL[] parts = JOSEObject.split(sealed);
      if (parts.length != 5) {
        return Optional.empty();
      }
      JWEObject jwe =
          new JWEObject(
              parts[0],
              parts[1],
              PublicBase64URL.of(parts[2]),
              PublicBase64URL.of(parts[3]),
              PublicBase64URL.of(parts[4]));
      JWEHeader h = jwe.getHeader();
      if (!JWEAlgorithm.DIR.equals(h.getAlgorithm())
          || !EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())
          || !purpose.equals(h.getCustomParam(PURPOSE_PARAM))
          || !java.util.Objects.equals(binding, h.getCustomParam(BINDING_PARAM))
          || h.getKeyID() == null) {
        return Optional.empty();
      }
      DirectDecrypter decrypter = decrypters.get(h.getKeyID());
      if (decrypter == null) {
        return Optional.empty();
      }
      jwe.decrypt(decrypter);
      return Optional.of(jwe.getPayload().toString());
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Provider aesGcmProvider() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding").getProvider();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required of every JVM", e);
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
