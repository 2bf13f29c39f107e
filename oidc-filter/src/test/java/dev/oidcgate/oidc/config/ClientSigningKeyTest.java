package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clientSigningKey} in each form it may take (JWK, JWKS, PEM, PKCS#12), and each way it can
 * be wrong: start-up stops with a message naming the key at fault.
 */
class ClientSigningKeyTest {

  @TempDir Path dir;

  private static Map<String, String> keyClient(Path key) {
    Map<String, String> p = new HashMap<>();
    p.put("issuer", "https://idp.example.com");
    p.put("clientId", "app");
    p.put("tokenEndpointAuthMethod", "private_key_jwt");
    if (key != null) {
      p.put("clientSigningKey", key.toString());
    }
    return p;
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void aJwkFileGivesThePrivateKeyItsThumbprintAsKeyIdAndRs256ForRsa() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    OidcConfig c = OidcConfig.fromInitParams(keyClient(write("key.jwk", rsa.toJSONString())));
    assertThat(c.clientKey().signingKey().orElseThrow().isPrivate()).isTrue();
    assertThat(c.clientKey().signingKey().orElseThrow().getKeyID())
        .isEqualTo(rsa.computeThumbprint().toString());
    assertThat(c.clientKey().signingAlgorithm()).contains(JWSAlgorithm.RS256);
    assertThat(c.client().canUseTokenEndpoint()).as("no secret needed").isTrue();
    assertThat(c.login().enabled()).as("browsers can log in with the key alone").isTrue();
    assertThat(c.toString())
        .as("the configuration as text names the key, never its private part")
        .contains("kid " + rsa.computeThumbprint())
        .doesNotContain(rsa.getPrivateExponent().toString())
        .doesNotContain(rsa.getFirstPrimeFactor().toString());
  }

  @Test
  void aJwksWithSeveralKeysNeedsClientSigningKeyIdWhichPicksOne() throws Exception {
    ECKey a = new ECKeyGenerator(Curve.P_256).keyID("a").generate();
    ECKey b = new ECKeyGenerator(Curve.P_384).keyID("b").generate();
    Path jwks = write("keys.json", new JWKSet(java.util.List.of(a, b)).toString(false));
    assertThatThrownBy(() -> OidcConfig.fromInitParams(keyClient(jwks)))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage("clientSigningKeyId: is required: clientSigningKey holds several keys");
    Map<String, String> p = keyClient(jwks);
    p.put("clientSigningKeyId", "b");
    OidcConfig c = OidcConfig.fromInitParams(p);
    assertThat(c.clientKey().signingKey().orElseThrow().getKeyID()).isEqualTo("b");
    assertThat(c.clientKey().signingAlgorithm()).contains(JWSAlgorithm.ES384);
  }

  @Test
  void anEd25519JwkSignsWithEdDsaAndAnRsaKeyMayAskForPs256() throws Exception {
    OidcConfig ed =
        OidcConfig.fromInitParams(
            keyClient(
                write(
                    "ed.jwk", new OctetKeyPairGenerator(Curve.Ed25519).generate().toJSONString())));
    assertThat(ed.clientKey().signingAlgorithm()).contains(JWSAlgorithm.EdDSA);
    Map<String, String> p =
        keyClient(write("rsa.jwk", new RSAKeyGenerator(2048).generate().toJSONString()));
    p.put("clientSigningAlg", "PS256");
    assertThat(OidcConfig.fromInitParams(p).clientKey().signingAlgorithm())
        .contains(JWSAlgorithm.PS256);
    p.put("clientSigningAlg", "ES256");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .hasMessageStartingWith("clientSigningAlg: ES256 does not fit the RSA key");
  }

  @Test
  void aPkcs8PemRsaKeyIsRead() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(rsa.toPrivateKey().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    OidcConfig c = OidcConfig.fromInitParams(keyClient(write("key.pem", pem)));
    assertThat(c.clientKey().signingKey().orElseThrow().computeThumbprint())
        .isEqualTo(rsa.computeThumbprint());
    assertThat(((RSAKey) c.clientKey().signingKey().get()).getModulus())
        .isEqualTo(rsa.getModulus());
  }

  @Test
  void anEcPemKeyWithoutItsPublicHalfAndAPkcs1PemAreRefusedNamingTheKey() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(ec.toPrivateKey().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    assertThatThrownBy(() -> OidcConfig.fromInitParams(keyClient(write("ec.pem", pem))))
        .hasMessageContaining("clientSigningKey: ")
        .hasMessageEndingWith("holds an EC private key without its CERTIFICATE or PUBLIC KEY");
    String withPublic =
        pem
            + "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(ec.toPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    assertThat(
            OidcConfig.fromInitParams(keyClient(write("ec2.pem", withPublic)))
                .clientKey()
                .signingAlgorithm())
        .contains(JWSAlgorithm.ES256);
    assertThatThrownBy(
            () ->
                OidcConfig.fromInitParams(
                    keyClient(
                        write(
                            "pkcs1.pem",
                            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))))
        .hasMessageEndingWith("convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
  }

  @Test
  void aPkcs12StoreOpensWithItsPasswordAndAWrongOneNamesThePasswordSetting() throws Exception {
    Path p12 = dir.resolve("client.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                p12.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "store-password",
                "-alias",
                "client-key",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=client",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(p12)) {
      store.load(in, "store-password".toCharArray());
    }
    Certificate cert = store.getCertificate("client-key");

    Map<String, String> p = keyClient(p12);
    p.put("clientSigningKeyPassword", "store-password");
    OidcConfig c = OidcConfig.fromInitParams(p);
    assertThat(c.clientKey().signingKey().orElseThrow().getKeyID()).isEqualTo("client-key");
    assertThat(c.clientKey().signingKey().get().toECKey().toPublicKey())
        .isEqualTo(cert.getPublicKey());
    assertThat(c.clientKey().signingAlgorithm()).contains(JWSAlgorithm.ES256);

    p.put("clientSigningKeyPassword", "wrong-password");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage("clientSigningKeyPassword: does not open clientSigningKey (wrong password?)");
    p.remove("clientSigningKeyPassword");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .hasMessage("clientSigningKeyPassword: is required for a PKCS#12 clientSigningKey");
  }

  @Test
  void privateKeyJwtWithoutAKeyOrWithAPublicKeyOnlyOrAnUnreadableFileStopsStartUp()
      throws Exception {
    assertThatThrownBy(() -> OidcConfig.fromInitParams(keyClient(null)))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage("clientSigningKey: is required when an auth method is private_key_jwt");
    Path publicOnly =
        write("public.jwk", new RSAKeyGenerator(2048).generate().toPublicJWK().toJSONString());
    assertThatThrownBy(() -> OidcConfig.fromInitParams(keyClient(publicOnly)))
        .hasMessage("clientSigningKey: holds no private RSA, EC or Ed25519 key");
    Path missing = dir.resolve("nowhere.jwk");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(keyClient(missing)))
        .hasMessage("clientSigningKey: cannot read " + missing);
    Path garbage = write("garbage.json", "{not json");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(keyClient(garbage)))
        .hasMessage("clientSigningKey: " + garbage + " holds no readable key");
    Map<String, String> jar = new HashMap<>();
    jar.put("issuer", "https://idp.example.com");
    jar.put("clientId", "app");
    jar.put("clientSecret", "s");
    jar.put("requestObject", "signed");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(jar))
        .hasMessage("clientSigningKey: is required when requestObject is signed");
  }

  @Test
  void clientSecretJwtNeedsASecretOfAtLeast32Bytes() {
    Map<String, String> p = new HashMap<>();
    p.put("issuer", "https://idp.example.com");
    p.put("clientId", "app");
    p.put("tokenEndpointAuthMethod", "client_secret_jwt");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .hasMessage("clientSecret: is required for client_secret_jwt");
    p.put("clientSecret", "too-short");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .hasMessage("clientSecret: must be at least 32 bytes for client_secret_jwt (HS256)");
    p.put("clientSecret", "a-client-secret-of-at-least-32-bytes");
    assertThat(OidcConfig.fromInitParams(p).client().tokenEndpointAuthMethod().getValue())
        .isEqualTo("client_secret_jwt");
  }
}
