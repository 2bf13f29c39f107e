package dev.oidcgate.oidc.login;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.AuthorizationRequestSettings;
import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.idp.ClientSigner;
import dev.oidcgate.oidc.idp.IdpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the URL that sends a browser to the authorization endpoint: scopes, state, nonce, PKCE
 * (S256), the response mode (form post, JARM), extra parameters such as {@code prompt}; as a signed
 * request object (JAR, RFC 9101) when {@code requestObject=signed}, pushed first (PAR, RFC 9126)
 * when configured or required. Thread-safe.
 */
final class AuthorizationRequests {

  private static final Duration REQUEST_OBJECT_LIFETIME = Duration.ofMinutes(5);
  private static final JOSEObjectType REQUEST_OBJECT_TYPE =
      new JOSEObjectType("oauth-authz-req+jwt");

  private final IdpClient idp;
  private final LoginSettings settings;
  private final AuthorizationRequestSettings requestSettings;
  private final Optional<ClientSigner> signer;
  private final Clock clock;

  AuthorizationRequests(
      IdpClient idp,
      LoginSettings settings,
      AuthorizationRequestSettings requestSettings,
      Optional<ClientSigner> signer,
      Clock clock) {
    this.idp = idp;
    this.settings = settings;
    this.requestSettings = requestSettings;
    this.signer = signer;
    this.clock = clock;
  }

  /**
   * The authorization endpoint URL of one login.
   *
   * @throws OidcErrorException 503 when the request must be pushed and the provider offers no PAR
   *     endpoint or cannot be reached; 400 when it refuses the pushed request
   */
  URI uri(
      OIDCProviderMetadata metadata,
      State state,
      Nonce nonce,
      CodeVerifier verifier,
      URI redirectUri,
      Map<String, String> extraParameters)
      throws OidcErrorException {
    AuthenticationRequest.Builder request =
        new AuthenticationRequest.Builder(
                ResponseType.CODE, Scope.parse(settings.scopes()), idp.clientId(), redirectUri)
            .endpointURI(metadata.getAuthorizationEndpointURI())
            .state(state)
            .nonce(nonce)
            .codeChallenge(verifier, CodeChallengeMethod.S256);
    if (settings.formPost() || settings.jarm()) {
      request.responseMode(settings.responseMode());
    }
    extraParameters.forEach(request::customParameter);
    AuthenticationRequest plain = request.build();
    AuthenticationRequest sent = requestSettings.signed() ? requestObject(plain, metadata) : plain;
    if (!pushed(metadata)) {
      return sent.toURI();
    }
    URI parEndpoint = metadata.getPushedAuthorizationRequestEndpointURI();
    if (parEndpoint == null) {
      throw OidcErrors.providerUnavailable(
          "The identity provider offers no pushed authorization requests", 30);
    }
    URI requestUri = idp.pushAuthorizationRequest(parEndpoint, sent);
    // RFC 9126 §4: the browser carries only client_id and request_uri.
    return new AuthenticationRequest.Builder(requestUri, idp.clientId())
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .build()
        .toURI();
  }

  /** Whether this login's request is pushed first (PAR, RFC 9126). */
  private boolean pushed(OIDCProviderMetadata metadata) {
    switch (requestSettings.pushed()) {
      case ALWAYS:
        return true;
      case NEVER:
        return false;
      default:
        return metadata.requiresPushedAuthorizationRequests();
    }
  }

  /**
   * The request as a signed request object (JAR, RFC 9101): every parameter as a claim, plus {@code
   * iss} (the client), {@code aud} (the issuer), {@code iat}, {@code nbf}, {@code exp} (5 minutes)
   * and a one-time {@code jti}; outside it only {@code client_id}.
   */
  private AuthenticationRequest requestObject(
      AuthenticationRequest plain, OIDCProviderMetadata metadata) {
    ClientSigner key =
        signer.orElseThrow(() -> new IllegalStateException("requestObject=signed needs a key"));
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(plain.toJWTClaimsSet())
            .issuer(idp.clientId().getValue())
            .audience(metadata.getIssuer().getValue())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(REQUEST_OBJECT_LIFETIME)))
            .jwtID(new JWTID().getValue())
            .build();
    return new AuthenticationRequest.Builder(key.sign(claims, REQUEST_OBJECT_TYPE), idp.clientId())
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .build();
  }
}
