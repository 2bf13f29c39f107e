package dev.oidcgate.oidc.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.assertions.jwt.JWTAssertionFactory;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Client assertions (RFC 7523): {@code private_key_jwt} signed with the client key, {@code
 * client_secret_jwt} with the secret (HS256). Each assertion is new: audience the issuer identifier
 * (not the endpoint, so one made for one endpoint cannot be replayed as meant for another of a
 * different server; as FAPI 2.0 and draft-ietf-oauth-rfc7523bis ask), {@code exp} 60 seconds after
 * {@code iat}, a random {@code jti}. The other methods are the secret's. Thread-safe.
 */
public final class KeyClientAuthenticator implements ClientAuthenticator {

  /** How long an assertion is good for. */
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  private final ClientID clientId;
  private final Optional<Secret> secret;
  private final Optional<ClientSigner> signer;
  private final Supplier<String> issuer;
  // clientAssertionAudience=endpoint: aud is the URL called (Entra ID, Okta), not the issuer
  private final boolean audienceIsEndpoint;
  private final Clock clock;
  private final ClientAuthenticator secrets;

  /**
   * @param issuer the issuer identifier, the assertions' audience
   */
  public KeyClientAuthenticator(
      ClientID clientId,
      Optional<Secret> secret,
      Optional<ClientSigner> signer,
      Supplier<String> issuer,
      Clock clock) {
    this(clientId, secret, signer, issuer, false, clock);
  }

  /**
   * @param issuer the issuer identifier, the assertions' audience unless {@code audienceIsEndpoint}
   * @param audienceIsEndpoint whether the audience is the endpoint the assertion is sent to
   */
  public KeyClientAuthenticator(
      ClientID clientId,
      Optional<Secret> secret,
      Optional<ClientSigner> signer,
      Supplier<String> issuer,
      boolean audienceIsEndpoint,
      Clock clock) {
    this.clientId = clientId;
    this.secret = secret;
    this.signer = signer;
    this.issuer = issuer;
    this.audienceIsEndpoint = audienceIsEndpoint;
    this.clock = clock;
    this.secrets = new SecretClientAuthenticator(clientId, secret);
  }

  @Override
  public Optional<ClientAuthentication> authenticate(
      ClientAuthenticationMethod method, URI endpoint) {
    if (method.equals(ClientAuthenticationMethod.PRIVATE_KEY_JWT) && signer.isPresent()) {
      return Optional.of(
          new PrivateKeyJWT(signer.get().sign(claims(endpoint).toJWTClaimsSet(), null)));
    }
    if (method.equals(ClientAuthenticationMethod.CLIENT_SECRET_JWT) && secret.isPresent()) {
      try {
        return Optional.of(
            new ClientSecretJWT(
                JWTAssertionFactory.create(claims(endpoint), JWSAlgorithm.HS256, secret.get())));
      } catch (JOSEException e) {
        throw new IllegalStateException("The client secret cannot make an HS256 assertion", e);
      }
    }
    return secrets.authenticate(method, endpoint);
  }

  private JWTAuthenticationClaimsSet claims(URI endpoint) {
    Instant now = clock.instant();
    return new JWTAuthenticationClaimsSet(
        clientId,
        List.of(new Audience(audienceIsEndpoint ? endpoint.toString() : issuer.get())),
        Date.from(now.plus(LIFETIME)),
        null,
        Date.from(now),
        new JWTID());
  }
}
