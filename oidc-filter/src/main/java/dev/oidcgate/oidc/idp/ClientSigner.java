package dev.oidcgate.oidc.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.config.ClientKeySettings;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Signs JWTs with the client's own key ({@code clientSigningKey}): client assertions and request
 * objects. The header carries the key's {@code kid}, as published at {@code clientJwksPath}.
 * Thread-safe.
 */
public final class ClientSigner {

  private final JWK key;
  private final JWSAlgorithm algorithm;
  private final JWSSigner signer;

  ClientSigner(JWK key, JWSAlgorithm algorithm) {
    this.key = key;
    this.algorithm = algorithm;
    try {
      this.signer = new DefaultJWSSignerFactory().createJWSSigner(key, algorithm);
    } catch (JOSEException e) {
      throw new IllegalStateException("The client signing key cannot sign " + algorithm, e);
    }
  }

  /** The signer for the configured key, or empty without one. */
  public static Optional<ClientSigner> of(ClientKeySettings settings) {
    if (settings.signingKey().isEmpty() || settings.signingAlgorithm().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ClientSigner(settings.signingKey().get(), settings.signingAlgorithm().get()));
  }

  public JWSAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * @param type the {@code typ} header, or {@code null} for none
   * @throws IllegalStateException when signing fails (a key that passed start-up does not)
   */
  public SignedJWT sign(JWTClaimsSet claims, @Nullable JOSEObjectType type) {
    JWSHeader header = new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(type).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Signing with the client key failed", e);
    }
    return jwt;
  }
}
