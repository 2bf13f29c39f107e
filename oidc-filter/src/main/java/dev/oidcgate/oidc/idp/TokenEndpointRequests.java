package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Token;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds the requests to the endpoints that take this client's token-endpoint authentication: token
 * (grant, scope, RFC 8707 {@code resource}s, extra parameters), PAR (RFC 9126) and revocation (RFC
 * 7009). A client without credentials sends its {@code client_id}. Each call authenticates anew (a
 * client assertion is good for one request only). Thread-safe.
 */
final class TokenEndpointRequests {

  private final Optional<ClientID> clientId;
  private final ClientAuthenticator authenticator;
  private final IdpClient.AuthMethods methods;

  TokenEndpointRequests(
      Optional<ClientID> clientId,
      ClientAuthenticator authenticator,
      IdpClient.AuthMethods methods) {
    this.clientId = clientId;
    this.authenticator = authenticator;
    this.methods = methods;
  }

  /**
   * @throws IllegalStateException when no {@code clientId} is configured
   */
  ClientID clientId() {
    return clientId.orElseThrow(
        () -> new IllegalStateException("No clientId is configured: this filter only checks JWTs"));
  }

  /** The client authentication for the introspection endpoint, empty without credentials. */
  Optional<ClientAuthentication> introspectionAuth(URI endpoint) {
    return authenticator.authenticate(methods.introspection(), endpoint);
  }

  /** A token request for {@code grant}, with {@code scope} when not null. */
  TokenRequest token(AuthorizationGrant grant, @Nullable Scope scope, URI endpoint) {
    return builder(grant, scope, endpoint).build();
  }

  /** A token request with RFC 8707 {@code resource}s and extra parameters, as HTTP. */
  HTTPRequest token(
      AuthorizationGrant grant,
      @Nullable Scope scope,
      List<URI> resources,
      Map<String, List<String>> extra,
      URI endpoint) {
    TokenRequest.Builder builder = builder(grant, scope, endpoint);
    if (!resources.isEmpty()) {
      builder.resources(resources.toArray(new URI[0]));
    }
    extra.forEach((name, values) -> builder.customParameter(name, values.toArray(new String[0])));
    return builder.build().toHTTPRequest();
  }

  private TokenRequest.Builder builder(
      AuthorizationGrant grant, @Nullable Scope scope, URI endpoint) {
    Optional<ClientAuthentication> auth = tokenEndpointAuth(endpoint);
    return (auth.isPresent()
            ? new TokenRequest.Builder(endpoint, auth.get(), grant)
            : new TokenRequest.Builder(endpoint, clientId(), grant))
        .scope(scope);
  }

  /** A pushed authorization request (RFC 9126), authenticated as at the token endpoint. */
  PushedAuthorizationRequest pushed(URI endpoint, AuthorizationRequest authorization) {
    Optional<ClientAuthentication> auth = tokenEndpointAuth(endpoint);
    return auth.isPresent()
        ? new PushedAuthorizationRequest(endpoint, auth.get(), authorization)
        : new PushedAuthorizationRequest(endpoint, authorization);
  }

  /** A revocation request (RFC 7009), authenticated as at the token endpoint, as HTTP. */
  HTTPRequest revocation(URI endpoint, Token token) {
    Optional<ClientAuthentication> auth = tokenEndpointAuth(endpoint);
    return (auth.isPresent()
            ? new TokenRevocationRequest(endpoint, auth.get(), token)
            : new TokenRevocationRequest(endpoint, clientId(), token))
        .toHTTPRequest();
  }

  private Optional<ClientAuthentication> tokenEndpointAuth(URI endpoint) {
    return authenticator.authenticate(methods.tokenEndpoint(), endpoint);
  }
}
