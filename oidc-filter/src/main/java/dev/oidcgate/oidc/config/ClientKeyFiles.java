package dev.oidcgate.oidc.config;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code clientSigningKey}: a JWK or JWKS file, a PEM PKCS#8 key, or a PKCS#12 key store,
 * with the JDK alone (Nimbus's PEM and PKCS#12 loaders need Bouncy Castle). Every failure names the
 * setting at fault.
 */
final class ClientKeyFiles {

  private ClientKeyFiles() {}

  /** Reads the private key, with a key id, or fails naming the setting at fault. */
  static JWK load(Path file, Optional<String> password, Optional<String> keyId) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY.key(), "cannot read " + file);
    }
    List<JWK> keys;
    if (lower.endsWith(".p12") || lower.endsWith(".pfx") || lower.endsWith(".pkcs12")) {
      keys = fromKeyStore(bytes, password);
    } else {
      String text = new String(bytes, StandardCharsets.UTF_8).trim();
      try {
        if (text.startsWith("{")) {
          keys =
              text.contains("\"keys\"") ? JWKSet.parse(text).getKeys() : List.of(JWK.parse(text));
        } else if (text.startsWith("-----BEGIN")) {
          keys = List.of(PemKeys.parse(text));
        } else {
          throw new OidcConfigException(
              ClientKeySettings.CLIENT_SIGNING_KEY.key(),
              file + " is neither JSON (JWK, JWKS), PEM nor a PKCS#12 store (.p12, .pfx)");
        }
      } catch (OidcConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new OidcConfigException(
            ClientKeySettings.CLIENT_SIGNING_KEY.key(), file + " " + e.getMessage());
      } catch (java.text.ParseException | RuntimeException e) {
        throw new OidcConfigException(
            ClientKeySettings.CLIENT_SIGNING_KEY.key(), file + " holds no readable key");
      }
    }
    JWK key = pick(keys, keyId);
    if (!key.isPrivate()
        || !(key instanceof RSAKey || key instanceof ECKey || key instanceof OctetKeyPair)) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY.key(), "holds no private RSA, EC or Ed25519 key");
    }
    if (key instanceof OctetKeyPair && !Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY.key(), "an OKP key must be Ed25519");
    }
    return withKeyId(key, keyId);
  }

  private static List<JWK> fromKeyStore(byte[] bytes, Optional<String> password) {
    if (password.isEmpty()) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY_PASSWORD.key(),
          "is required for a PKCS#12 clientSigningKey");
    }
    char[] pw = password.get().toCharArray();
    KeyStore store;
    try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, pw);
    } catch (IOException e) {
      // PKCS#12 reports a wrong password as an IOException caused by UnrecoverableKeyException
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY_PASSWORD.key(),
          "does not open clientSigningKey (wrong password?)");
    } catch (GeneralSecurityException e) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY.key(), "is not a PKCS#12 key store");
    }
    // By hand with the JDK: JWKSet.load(KeyStore) needs Bouncy Castle for the certificates.
    List<JWK> keys = new java.util.ArrayList<>();
    try {
      for (String alias : java.util.Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias) || store.getCertificate(alias) == null) {
          continue;
        }
        java.security.Key key = store.getKey(alias, pw);
        java.security.PublicKey pub = store.getCertificate(alias).getPublicKey();
        if (key instanceof java.security.interfaces.RSAPrivateKey
            && pub instanceof java.security.interfaces.RSAPublicKey) {
          keys.add(
              new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pub)
                  .privateKey((java.security.interfaces.RSAPrivateKey) key)
                  .keyID(alias)
                  .build());
        } else if (key instanceof java.security.interfaces.ECPrivateKey
            && pub instanceof java.security.interfaces.ECPublicKey) {
          java.security.interfaces.ECPublicKey ec = (java.security.interfaces.ECPublicKey) pub;
          Curve curve = Curve.forECParameterSpec(ec.getParams());
          if (curve != null) {
            keys.add(
                new ECKey.Builder(curve, ec)
                    .privateKey((java.security.interfaces.ECPrivateKey) key)
                    .keyID(alias)
                    .build());
          }
        }
      }
    } catch (java.security.UnrecoverableKeyException e) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY_PASSWORD.key(),
          "does not open the key in clientSigningKey");
    } catch (GeneralSecurityException e) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY.key(), "cannot be read as a key store");
    }
    return keys;
  }

  private static JWK pick(List<JWK> keys, Optional<String> keyId) {
    if (keyId.isPresent()) {
      for (JWK k : keys) {
        if (keyId.get().equals(k.getKeyID())) {
          return k;
        }
      }
      if (keys.size() != 1) {
        throw new OidcConfigException(
            ClientKeySettings.CLIENT_SIGNING_KEY_ID.key(), "names no key of clientSigningKey");
      }
    }
    if (keys.isEmpty()) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY.key(), "holds no private key");
    }
    if (keys.size() > 1) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY_ID.key(),
          "is required: clientSigningKey holds several keys");
    }
    return keys.get(0);
  }

  private static JWK withKeyId(JWK key, Optional<String> keyId) {
    try {
      String kid =
          keyId.orElse(
              key.getKeyID() != null ? key.getKeyID() : key.computeThumbprint().toString());
      if (key instanceof RSAKey) {
        return new RSAKey.Builder((RSAKey) key).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
      }
      if (key instanceof ECKey) {
        return new ECKey.Builder((ECKey) key).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
      }
      return new OctetKeyPair.Builder((OctetKeyPair) key)
          .keyID(kid)
          .keyUse(KeyUse.SIGNATURE)
          .build();
    } catch (JOSEException | RuntimeException e) {
      throw new OidcConfigException(
          ClientKeySettings.CLIENT_SIGNING_KEY.key(), "holds a key that cannot be used");
    }
  }
}
