package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.oidcgate.oidc.config.ClientKeySettings;
import dev.oidcgate.oidc.config.ClientSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds the IdP client for one filter's client settings. */
public final class IdpClients {

  private IdpClients() {}

  /**
   * The client that calls the IdP's endpoints as {@code clientId}, authenticated with its secret or
   * its key (a secret without a client id is never sent). Without a client id (a resource server
   * that names its {@code audience}) it authenticates nowhere: opaque tokens are refused unasked,
   * and what needs the id refuses (see {@link IdpClient#clientId()}). Client assertions ({@code
   * private_key_jwt} with {@code keys}, {@code client_secret_jwt}) have the issuer identifier as
   * audience: the provider's, or {@code issuer} until its metadata is read.
   */
  public static IdpClient of(
      ProviderMetadataSource provider,
      IdpTransport transport,
      ClientSettings client,
      ClientKeySettings keys,
      String issuer,
      Clock clock) {
    Optional<ClientID> clientId = client.clientId().map(ClientID::new);
    Supplier<String> issuerId =
        () -> {
          try {
            return provider.isReady() ? provider.current().getIssuer().getValue() : issuer;
          } catch (OidcErrorException e) {
            return issuer;
          }
        };
    ClientAuthenticator authenticator =
        clientId.isPresent()
            ? new KeyClientAuthenticator(
                clientId.get(),
                client.clientSecret(),
                ClientSigner.of(keys),
                issuerId,
                keys.assertionAudienceIsEndpoint(),
                clock)
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
