package dev.oidcgate.oidc.config;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.oidcgate.settings.SettingParsers;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The client's own signing key, for {@code private_key_jwt} client assertions (RFC 7523) and signed
 * request objects (RFC 9101), and the path where its public half is published.
 *
 * @param signingKey the private key (never logged, never served), with a key id: the file's, else
 *     its RFC 7638 thumbprint
 * @param signingAlgorithm the algorithm the key signs with: {@code clientSigningAlg}, else the
 *     key's {@code alg}, else by key type ({@code RS256}, {@code ES256}/{@code ES384}/{@code ES512}
 *     by curve, {@code EdDSA})
 * @param jwksPath where the filter answers with the public JWKS (under the context)
 */
public record ClientKeySettings(
    Optional<JWK> signingKey,
    Optional<JWSAlgorithm> signingAlgorithm,
    Optional<String> jwksPath,
    boolean assertionAudienceIsEndpoint) {

  /** The algorithms a client key may sign with. */
  public static final Set<JWSAlgorithm> SIGNING_ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA);

  public static final OidcSetting<Path> CLIENT_SIGNING_KEY =
      OidcSetting.define(
          "clientSigningKey",
          null,
          "The client's private signing key, for `tokenEndpointAuthMethod=private_key_jwt` and"
              + " `requestObject=signed`: a file holding a JWK or a JWKS (JSON), a PEM PKCS#8"
              + " `PRIVATE KEY` (RSA; EC with its `CERTIFICATE` or `PUBLIC KEY` in the same file),"
              + " or a PKCS#12 key store (`.p12`, `.pfx`; with `clientSigningKeyPassword`). Read at"
              + " start-up; a file that holds no usable private key stops the filter.",
          t -> Path.of(t.trim()));
  public static final OidcSetting<String> CLIENT_SIGNING_KEY_PASSWORD =
      OidcSetting.secret(
          "clientSigningKeyPassword",
          "The password of the PKCS#12 key store `clientSigningKey` names (store and key). Use"
              + " `${env:NAME}`.",
          t -> t);
  public static final OidcSetting<String> CLIENT_SIGNING_KEY_ID =
      OidcSetting.define(
          "clientSigningKeyId",
          null,
          "Which key of `clientSigningKey` to sign with (the `kid` of a JWKS entry, or the alias"
              + " in a PKCS#12 store); needed only when the file holds several. Also the `kid` sent"
              + " and published; without one, the key's RFC 7638 thumbprint.",
          String::trim);
  public static final OidcSetting<JWSAlgorithm> CLIENT_SIGNING_ALG =
      OidcSetting.define(
          "clientSigningAlg",
          null,
          "The algorithm the client key signs with (`RS256`, `PS256`, `ES256`, `EdDSA`, ...)."
              + " Default: the key's own `alg`, else `RS256` for RSA, `ES256`/`ES384`/`ES512` by"
              + " curve, `EdDSA` for Ed25519.",
          ClientKeySettings::algorithm);
  public static final OidcSetting<String> CLIENT_JWKS_PATH =
      OidcSetting.define(
          "clientJwksPath",
          null,
          "A path (under the context) where the filter answers `GET` with the public part of"
              + " `clientSigningKey` as a JWKS, for a provider that fetches the client's `jwks_uri`"
              + " (sample WAR: `/oidc-route/jwks`). Never a private part. Without a signing key,"
              + " nothing is served there.",
          ClientKeySettings::path);
  public static final OidcSetting<Boolean> CLIENT_ASSERTION_AUDIENCE =
      OidcSetting.define(
          "clientAssertionAudience",
          "issuer",
          "The `aud` of the client's assertions (`private_key_jwt`, `client_secret_jwt`):"
              + " `issuer` (the issuer identifier, as RFC 7523bis and FAPI 2.0 ask) or `endpoint`"
              + " (the URL of the endpoint each assertion is sent to, the token endpoint for a token"
              + " request: what Entra ID and Okta ask for).",
          v ->
              SettingParsers.choice(v.trim(), new String[] {"issuer", "endpoint"}, t -> t)
                  .equals("endpoint"));

  public ClientKeySettings {
    Objects.requireNonNull(signingKey);
    Objects.requireNonNull(signingAlgorithm);
    Objects.requireNonNull(jwksPath);
    if (signingKey.isPresent() != signingAlgorithm.isPresent()) {
      throw new IllegalArgumentException("a signing key needs its algorithm and only then");
    }
  }

  /** Names the key by its id and algorithm only: a record's own toString would print it whole. */
  @Override
  public String toString() {
    return "ClientKeySettings[signingKey="
        + signingKey.map(k -> "kid " + k.getKeyID()).orElse("none")
        + ", signingAlgorithm="
        + signingAlgorithm.map(JWSAlgorithm::getName).orElse("none")
        + ", jwksPath="
        + jwksPath.orElse("none")
        + "]";
  }

  /** The public JWKS to publish: the signing key's public half, or an empty set. */
  public JWKSet publicJwks() {
    return signingKey.map(k -> new JWKSet(k.toPublicJWK())).orElseGet(JWKSet::new);
  }

  static ClientKeySettings from(SettingValues v, ClientSettings client, boolean signsRequests) {
    for (ClientAuthenticationMethod m :
        List.of(client.tokenEndpointAuthMethod(), client.introspectionAuthMethod())) {
      if (m.equals(ClientAuthenticationMethod.CLIENT_SECRET_JWT)
          && client.clientSecret().isEmpty()) {
        throw new OidcConfigException(
            ClientSettings.CLIENT_SECRET.key(), "is required for client_secret_jwt");
      }
      if (m.equals(ClientAuthenticationMethod.CLIENT_SECRET_JWT)
          && client.clientSecret().get().getValueBytes().length < 32) {
        throw new OidcConfigException(
            ClientSettings.CLIENT_SECRET.key(),
            "must be at least 32 bytes for client_secret_jwt (HS256)");
      }
    }
    Optional<Path> file = v.optional(CLIENT_SIGNING_KEY);
    boolean needsKey =
        client.tokenEndpointAuthMethod().equals(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
            || client.introspectionAuthMethod().equals(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    if (file.isEmpty()) {
      if (needsKey) {
        throw new OidcConfigException(
            CLIENT_SIGNING_KEY.key(), "is required when an auth method is private_key_jwt");
      }
      if (signsRequests) {
        throw new OidcConfigException(
            CLIENT_SIGNING_KEY.key(), "is required when requestObject is signed");
      }
      return new ClientKeySettings(
          Optional.empty(),
          Optional.empty(),
          v.optional(CLIENT_JWKS_PATH),
          v.get(CLIENT_ASSERTION_AUDIENCE));
    }
    JWK key =
        ClientKeyFiles.load(
            file.get(), v.optional(CLIENT_SIGNING_KEY_PASSWORD), v.optional(CLIENT_SIGNING_KEY_ID));
    JWSAlgorithm alg = v.optional(CLIENT_SIGNING_ALG).orElseGet(() -> defaultAlgorithm(key));
    if (SecurityProfileSettings.isFapi2(v) && !v.isExplicit(CLIENT_SIGNING_ALG)) {
      if (key instanceof RSAKey) {
        alg = JWSAlgorithm.PS256; // FAPI 2.0 allows RSA only as PSS
      }
      if (!SecurityProfileSettings.FAPI2_ALGORITHMS.contains(alg)) {
        throw new OidcConfigException(
            CLIENT_SIGNING_KEY.key(),
            "signs "
                + alg
                + ", which securityProfile=fapi2 does not allow: use an RSA, P-256 or Ed25519 key");
      }
    }
    if (!fits(alg, key)) {
      throw new OidcConfigException(
          CLIENT_SIGNING_ALG.key(),
          alg + " does not fit the " + key.getKeyType() + " key of clientSigningKey");
    }
    return new ClientKeySettings(
        Optional.of(key),
        Optional.of(alg),
        v.optional(CLIENT_JWKS_PATH),
        v.get(CLIENT_ASSERTION_AUDIENCE));
  }

  static JWSAlgorithm defaultAlgorithm(JWK key) {
    if (key.getAlgorithm() != null) {
      JWSAlgorithm own = JWSAlgorithm.parse(key.getAlgorithm().getName());
      if (SIGNING_ALGORITHMS.contains(own)) {
        return own;
      }
    }
    if (key instanceof ECKey) {
      Curve crv = ((ECKey) key).getCurve();
      if (Curve.P_384.equals(crv)) {
        return JWSAlgorithm.ES384;
      }
      return Curve.P_521.equals(crv) ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
    }
    return key instanceof OctetKeyPair ? JWSAlgorithm.EdDSA : JWSAlgorithm.RS256;
  }

  private static boolean fits(JWSAlgorithm alg, JWK key) {
    if (key.getKeyType().equals(KeyType.RSA)) {
      return JWSAlgorithm.Family.RSA.contains(alg);
    }
    if (key instanceof ECKey) {
      return alg.equals(defaultAlgorithm(new ECKey.Builder((ECKey) key).algorithm(null).build()));
    }
    return alg.equals(JWSAlgorithm.EdDSA);
  }

  private static JWSAlgorithm algorithm(String text) {
    JWSAlgorithm alg = JWSAlgorithm.parse(text.trim());
    if (!SIGNING_ALGORITHMS.contains(alg)) {
      throw new IllegalArgumentException("write one of RS256, PS256, ES256, ES384, ES512, EdDSA");
    }
    return alg;
  }

  private static String path(String text) {
    String t = text.trim();
    if (!t.startsWith("/") || t.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("write a path starting with /");
    }
    return t;
  }
}
