package dev.oidcgate.oidc.config;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A private key from PEM with the JDK alone (no Bouncy Castle): a PKCS#8 {@code PRIVATE KEY}, RSA
 * or EC; an EC key also needs its {@code CERTIFICATE} or {@code PUBLIC KEY} in the same file.
 */
final class PemKeys {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeys() {}

  /**
   * @throws IllegalArgumentException with a short reason when the text holds no usable key
   */
  static JWK parse(String pem) {
    byte[] privateDer = null;
    PublicKey publicKey = null;
    Matcher m = BLOCK.matcher(pem);
    try {
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        switch (m.group(1)) {
          case "PRIVATE KEY":
            privateDer = der;
            break;
          case "PUBLIC KEY":
            publicKey = publicKey(der);
            break;
          case "CERTIFICATE":
            if (publicKey == null) {
              publicKey =
                  CertificateFactory.getInstance("X.509")
                      .generateCertificate(new ByteArrayInputStream(der))
                      .getPublicKey();
            }
            break;
          case "RSA PRIVATE KEY":
          case "EC PRIVATE KEY":
            throw new IllegalArgumentException(
                "holds a " + m.group(1) + "; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
          default:
            break;
        }
      }
      if (privateDer == null) {
        throw new IllegalArgumentException("holds no PKCS#8 PRIVATE KEY block");
      }
      return jwk(privateDer, publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("holds a key the JDK cannot read");
    }
  }

  private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    }
  }

  private static JWK jwk(byte[] privateDer, @Nullable PublicKey publicKey)
      throws GeneralSecurityException {
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(privateDer));
    } catch (GeneralSecurityException e) {
      key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(privateDer));
    }
    if (key instanceof RSAPrivateCrtKey) {
      RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
      RSAPublicKey pub =
          (RSAPublicKey)
              KeyFactory.getInstance("RSA")
                  .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      return new RSAKey.Builder(pub).privateKey(rsa).build();
    }
    if (key instanceof ECPrivateKey) {
      if (!(publicKey instanceof ECPublicKey)) {
        throw new IllegalArgumentException(
            "holds an EC private key without its CERTIFICATE or PUBLIC KEY");
      }
      ECPublicKey pub = (ECPublicKey) publicKey;
      Curve curve = Curve.forECParameterSpec(pub.getParams());
      if (curve == null) {
        throw new IllegalArgumentException("holds an EC key on an unsupported curve");
      }
      return new ECKey.Builder(curve, pub).privateKey((ECPrivateKey) key).build();
    }
    throw new IllegalArgumentException("holds neither an RSA nor an EC private key");
  }
}
