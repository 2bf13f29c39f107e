package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How a session ends, here and at the identity provider.
 *
 * @param path as configured (under the context); empty for the default under the filter's mapping
 * @param postLogoutRedirectUri where the browser lands: an absolute URL or a path under the context
 * @param endpoint the provider's logout URL; empty to use discovery's {@code end_session_endpoint}
 * @param redirectParameter the query parameter that carries {@code postLogoutRedirectUri} there
 * @param revoke whether logout revokes the session's tokens at the provider (RFC 7009)
 * @param provider whose logout URL is used when neither {@code endpoint} nor discovery names one
 */
public record LogoutSettings(
    Optional<String> path,
    String postLogoutRedirectUri,
    Optional<URI> endpoint,
    String redirectParameter,
    boolean revoke,
    ProviderProfile provider) {
  public static final OidcSetting<String> LOGOUT_PATH =
      OidcSetting.define(
          "logoutPath",
          null,
          "The path (under the context) that ends the session. Default: `logout` under the"
              + " filter's first URL pattern.",
          String::trim);
  public static final OidcSetting<String> POST_LOGOUT_REDIRECT_URI =
      OidcSetting.define(
          "postLogoutRedirectUri",
          "/",
          "Where the browser lands after logout: an absolute URL or a path under the context.",
          String::trim);
  public static final OidcSetting<URI> LOGOUT_ENDPOINT =
      OidcSetting.define(
          "logoutEndpoint",
          null,
          "The IdP's logout URL. Default: `end_session_endpoint` from discovery, else the"
              + " provider profile's (Cognito's `https://<domain>/logout`, Auth0's `/v2/logout`).",
          SettingParsers::httpUri);
  public static final OidcSetting<String> LOGOUT_REDIRECT_PARAMETER =
      OidcSetting.define(
          "logoutRedirectParameter",
          "post_logout_redirect_uri",
          "The query parameter that carries `postLogoutRedirectUri` to the IdP; `logout_uri` for"
              + " Amazon Cognito.",
          SettingTypes::parameterName);

  public static final OidcSetting<Boolean> LOGOUT_REVOKE =
      OidcSetting.define(
          "logoutRevoke",
          "true",
          "Whether logout revokes the session's refresh token at the IdP's revocation endpoint"
              + " (RFC 7009), where discovery names one, and its access token when that is opaque;"
              + " a JWT access token is left to expire, since many IdPs cannot revoke one (Auth0,"
              + " Cognito answer `unsupported_token_type`). Revoking may end the IdP's own session"
              + " too (Keycloak).",
          SettingParsers::bool);

  public LogoutSettings {
    Objects.requireNonNull(path);
    Objects.requireNonNull(postLogoutRedirectUri);
    Objects.requireNonNull(endpoint);
    Objects.requireNonNull(redirectParameter);
    Objects.requireNonNull(provider);
  }

  static LogoutSettings from(SettingValues v, ProviderProfile provider) {
    return new LogoutSettings(
        v.optional(LOGOUT_PATH).filter(p -> !p.isEmpty()),
        v.get(POST_LOGOUT_REDIRECT_URI),
        v.optional(LOGOUT_ENDPOINT),
        v.get(LOGOUT_REDIRECT_PARAMETER),
        v.get(LOGOUT_REVOKE),
        provider);
  }
}
