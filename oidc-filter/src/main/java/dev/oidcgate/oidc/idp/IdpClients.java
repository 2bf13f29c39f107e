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
   * secret without a client id is never sent).
   */
  public static IdpClient of(
      ProviderMetadataSource provider, IdpTransport transport, ClientSettings client) {
    ClientID clientId = new ClientID(client.clientId().orElse(""));
    return new IdpClient(
        provider,
        transport,
        clientId,
        new SecretClientAuthenticator(
            clientId, client.clientId().isPresent() ? client.clientSecret() : Optional.empty()),
        new IdpClient.AuthMethods(
            client.tokenEndpointAuthMethod(), client.introspectionAuthMethod()));
  }
}
