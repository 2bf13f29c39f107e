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
  public static final OidcSetting<String> CLIENT_ID =
      OidcSetting.define(
          "clientId",
          null,
          "The client id registered at the identity provider. Required unless `audience` is set.",
          String::trim);
  public static final OidcSetting<Secret> CLIENT_SECRET =
      OidcSetting.secret(
          "clientSecret",
          "The client secret; needed for token introspection. Use `${env:NAME}` to keep it out of"
              + " `web.xml`.",
          Secret::new);
  public static final OidcSetting<ClientAuthenticationMethod> INTROSPECTION_AUTH_METHOD =
      OidcSetting.define(
          "introspectionAuthMethod",
          "client_secret_basic",
          "How the client authenticates to the introspection endpoint: `client_secret_basic` or"
              + " `client_secret_post`.",
          v -> SettingTypes.authMethod(v, false));
  public static final OidcSetting<ClientAuthenticationMethod> TOKEN_ENDPOINT_AUTH_METHOD =
      OidcSetting.define(
          "tokenEndpointAuthMethod",
          "client_secret_basic",
          "How the client authenticates at the token endpoint: `client_secret_basic`,"
              + " `client_secret_post` or `none` (a public client; PKCE still applies).",
          v -> SettingTypes.authMethod(v, true));

  public ClientSettings {
    clientId = clientId.filter(id -> !id.isBlank());
    Objects.requireNonNull(clientSecret);
    Objects.requireNonNull(tokenEndpointAuthMethod);
    Objects.requireNonNull(introspectionAuthMethod);
  }

  static ClientSettings from(SettingValues v) {
    return new ClientSettings(
        v.optional(CLIENT_ID),
        v.optional(CLIENT_SECRET),
        v.get(TOKEN_ENDPOINT_AUTH_METHOD),
        v.get(INTROSPECTION_AUTH_METHOD));
  }

  /** Whether the token endpoint would accept this client: an id, and a secret unless public. */
  public boolean canUseTokenEndpoint() {
    return clientId.isPresent()
        && (clientSecret.isPresent()
            || tokenEndpointAuthMethod.equals(ClientAuthenticationMethod.NONE));
  }
}
