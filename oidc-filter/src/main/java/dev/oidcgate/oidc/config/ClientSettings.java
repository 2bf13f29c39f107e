package dev.oidcgate.oidc.config;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * Who this filter is at the identity provider, and how it proves it at each endpoint.
 *
 * @param clientId empty for a pure resource server that names its {@code audience} instead
 * @param clientSecret never logged
 * @param tokenEndpointAuthMethod {@code client_secret_basic}, {@code client_secret_post} or {@code
 *     none} (a public client)
 * @param introspectionAuthMethod {@code client_secret_basic} or {@code client_secret_post}
 */
public record ClientSettings(
    Optional<String> clientId,
    Optional<Secret> clientSecret,
    ClientAuthenticationMethod tokenEndpointAuthMethod,
    ClientAuthenticationMethod introspectionAuthMethod) {

  public ClientSettings {
    clientId = clientId.filter(id -> !id.isBlank());
    Objects.requireNonNull(clientSecret);
    Objects.requireNonNull(tokenEndpointAuthMethod);
    Objects.requireNonNull(introspectionAuthMethod);
  }

  static ClientSettings from(SettingValues v) {
    return new ClientSettings(
        v.optional(OidcSetting.CLIENT_ID),
        v.optional(OidcSetting.CLIENT_SECRET),
        v.get(OidcSetting.TOKEN_ENDPOINT_AUTH_METHOD),
        v.get(OidcSetting.INTROSPECTION_AUTH_METHOD));
  }

  /** Whether the token endpoint would accept this client: an id, and a secret unless public. */
  public boolean canUseTokenEndpoint() {
    return clientId.isPresent()
        && (clientSecret.isPresent()
            || tokenEndpointAuthMethod.equals(ClientAuthenticationMethod.NONE));
  }
}
