package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.oidcgate.oidc.config.ClientSettings;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import java.util.Optional;

/** Builds the IdP client for one filter's client settings. */
public final class IdpClients {

  private IdpClients() {}

  /**
   * The client that calls the IdP's endpoints as {@code clientId}, authenticated with its secret (a
   * secret without a client id is never sent). Without a client id (a resource server that names
   * its {@code audience}) it authenticates nowhere: opaque tokens are refused unasked, and what
   * needs the id refuses (see {@link IdpClient#clientId()}).
   */
  public static IdpClient of(
      ProviderMetadataSource provider, IdpTransport transport, ClientSettings client) {
    Optional<ClientID> clientId = client.clientId().map(ClientID::new);
    ClientAuthenticator authenticator =
        clientId.isPresent()
            ? new SecretClientAuthenticator(clientId.get(), client.clientSecret())
            : (method, endpoint) -> Optional.empty();
    return new IdpClient(
        provider,
        transport,
        clientId,
        authenticator,
        new IdpClient.AuthMethods(
            client.tokenEndpointAuthMethod(), client.introspectionAuthMethod()));
  }
}
