package dev.oidcgate.oidc.config;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import dev.oidcgate.settings.SettingParsers;
import java.util.List;
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
 * @param issuerClients the issuers a browser may log in at, by name, each with its own client or
 *     this one; empty: only {@code issuer}
 * @param loginIssuerParameter the query parameter whose value names the issuer to log in at
 * @param loginIssuerChooser whether a login that names no issuer shows a page to choose one
 */
public record ClientSettings(
    Optional<String> clientId,
    Optional<Secret> clientSecret,
    ClientAuthenticationMethod tokenEndpointAuthMethod,
    ClientAuthenticationMethod introspectionAuthMethod,
    List<IssuerClient> issuerClients,
    String loginIssuerParameter,
    boolean loginIssuerChooser) {
  public static final OidcSetting<String> CLIENT_ID =
      OidcSetting.define(
          "clientId",
          null,
          "The client id registered at the identity provider. Required unless `audience` is set;"
              + " without it the filter checks JWT bearer tokens only (no login, no introspection,"
              + " no groups overage).",
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
          "How the client authenticates to the introspection endpoint: `client_secret_basic`,"
              + " `client_secret_post`, `client_secret_jwt` or `private_key_jwt` (see"
              + " `tokenEndpointAuthMethod`).",
          v -> SettingTypes.authMethod(v, false));
  public static final OidcSetting<ClientAuthenticationMethod> TOKEN_ENDPOINT_AUTH_METHOD =
      OidcSetting.define(
          "tokenEndpointAuthMethod",
          "client_secret_basic",
          "How the client authenticates at the token endpoint (and the PAR and revocation"
              + " endpoints): `client_secret_basic`, `client_secret_post`, `client_secret_jwt` (an"
              + " HS256 assertion made with `clientSecret`), `private_key_jwt` (an assertion signed"
              + " with `clientSigningKey`; both RFC 7523, `aud` = the issuer, 60 s, one-time `jti`)"
              + " or `none` (a public client; PKCE still applies).",
          v -> SettingTypes.authMethod(v, true));

  public static final OidcSetting<List<IssuerClient>> ISSUER_CLIENTS =
      OidcSetting.secret(
          "issuerClients",
          "The issuers a browser may log in at, comma-separated `name=issuer` (with `clientId` and"
              + " `clientSecret`) or `name=issuer clientId secret` (its own client; use"
              + " `${env:NAME}` for the secret, which may not contain `,`). Each issuer is `issuer`"
              + " or one of `additionalIssuers`; each has its own session cookie"
              + " (`sessionCookieName.name`) and, but `issuer`, its own redirect URI"
              + " (`<redirectUri>/<name>`: register that one there). The login picks one by"
              + " `loginIssuerParameter`; without it, `issuer`.",
          IssuerClient::parseList);
  public static final OidcSetting<String> LOGIN_ISSUER_PARAMETER =
      OidcSetting.define(
          "loginIssuerParameter",
          "oidc_issuer",
          "The query parameter that names, from `issuerClients`, the issuer a login goes to"
              + " (`/app/page?oidc_issuer=partners`); another name gets 400 and no request to any"
              + " issuer.",
          SettingTypes::parameterName);
  public static final OidcSetting<Boolean> LOGIN_ISSUER_CHOOSER =
      OidcSetting.define(
          "loginIssuerChooser",
          "false",
          "Whether a login whose URL names no issuer shows a page listing the `issuerClients`"
              + " names (links of only `?oidc_issuer=name`, on the same page) instead of going to"
              + " `issuer`.",
          SettingParsers::bool);

  public ClientSettings {
    clientId = clientId.filter(id -> !id.isBlank());
    Objects.requireNonNull(clientSecret);
    Objects.requireNonNull(tokenEndpointAuthMethod);
    Objects.requireNonNull(introspectionAuthMethod);
    issuerClients = List.copyOf(issuerClients);
    Objects.requireNonNull(loginIssuerParameter);
  }

  static ClientSettings from(SettingValues v) {
    return new ClientSettings(
        v.optional(CLIENT_ID),
        v.optional(CLIENT_SECRET),
        v.get(TOKEN_ENDPOINT_AUTH_METHOD),
        v.get(INTROSPECTION_AUTH_METHOD),
        v.optional(ISSUER_CLIENTS).orElse(List.of()),
        v.get(LOGIN_ISSUER_PARAMETER),
        v.get(LOGIN_ISSUER_CHOOSER));
  }

  /**
   * Whether the token endpoint would accept this client: an id, and a secret unless public or
   * authenticated with its key ({@code private_key_jwt}, whose key the configuration requires).
   */
  public boolean canUseTokenEndpoint() {
    return clientId.isPresent()
        && (clientSecret.isPresent()
            || tokenEndpointAuthMethod.equals(ClientAuthenticationMethod.NONE)
            || tokenEndpointAuthMethod.equals(ClientAuthenticationMethod.PRIVATE_KEY_JWT));
  }
}
