package dev.oidcgate.oidc.config;

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
 */
public record LogoutSettings(
    Optional<String> path,
    String postLogoutRedirectUri,
    Optional<URI> endpoint,
    String redirectParameter) {

  public LogoutSettings {
    Objects.requireNonNull(path);
    Objects.requireNonNull(postLogoutRedirectUri);
    Objects.requireNonNull(endpoint);
    Objects.requireNonNull(redirectParameter);
  }

  static LogoutSettings from(SettingValues v) {
    return new LogoutSettings(
        v.optional(OidcSetting.LOGOUT_PATH).filter(p -> !p.isEmpty()),
        v.get(OidcSetting.POST_LOGOUT_REDIRECT_URI),
        v.optional(OidcSetting.LOGOUT_ENDPOINT),
        v.get(OidcSetting.LOGOUT_REDIRECT_PARAMETER));
  }
}
