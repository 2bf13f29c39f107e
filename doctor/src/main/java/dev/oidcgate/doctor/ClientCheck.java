package dev.oidcgate.doctor;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigBuilder;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.IdpClients;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.web.FilterPaths;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client checks with {@code --client-id}: the settings must build the filter's {@link
 * OidcConfig} ("configuration"), the client must authenticate ({@link ClientAuthCheck}, with a
 * secret or with {@code --client-key} for private_key_jwt, through the filter's own {@link
 * IdpClients}), and the redirect URIs to register are named from the filter's {@link FilterPaths}.
 */
final class ClientCheck {

  private final Options options;
  private final Report report;
  private final IdpTransport transport;
  private final ClockCheck clock;
  private final AppUrls urls;

  ClientCheck(
      Options options, Report report, IdpTransport transport, ClockCheck clock, AppUrls urls) {
    this.options = options;
    this.report = report;
    this.transport = transport;
    this.clock = clock;
    this.urls = urls;
  }

  /**
   * @param settings the filter's settings so far; gets {@code tokenEndpointAuthMethod} when the IdP
   *     takes the secret only in the form
   */
  void check(
      OIDCProviderMetadata metadata, ProviderMetadataSource source, Map<String, String> settings) {
    if (options.clientId().isEmpty()) {
      report.info("client", "no --client-id: client authentication and redirect URIs not checked");
      return;
    }
    List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
    if (options.clientSecret().isPresent()
        && options.clientKey().isEmpty()
        && methods != null
        && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      settings.put("tokenEndpointAuthMethod", "client_secret_post");
    }
    OidcConfig config;
    try {
      OidcConfigBuilder b = OidcConfig.builder();
      settings.forEach(b::set);
      config = b.build();
    } catch (OidcConfigException e) {
      report.fail("configuration", String.valueOf(e.getMessage()), "correct the option this names");
      return;
    }
    if (options.clientSecret().isEmpty() && options.clientKey().isEmpty()) {
      report.info(
          "client authentication",
          "no client secret or key: not checked (give --client-secret, $OIDC_CLIENT_SECRET or"
              + " --client-key)");
    } else {
      IdpClient client =
          IdpClients.of(
              source,
              transport,
              config.client(),
              config.clientKey(),
              config.provider().issuer().issuer(),
              config.extensions().clock());
      new ClientAuthCheck(options, report, clock)
          .check(metadata, client, config.client().tokenEndpointAuthMethod());
    }
    redirectUris(config);
  }

  /** "redirect URIs": what to register at the IdP, from the filter's own path resolution. */
  private void redirectUris(OidcConfig config) {
    FilterPaths paths =
        FilterPaths.resolve(
            config.login(), config.logout(), options.contextPath(), List.of(options.urlPattern()));
    Optional<URI> redirect = paths.redirectUriWithoutRequest();
    Optional<URI> postLogout = paths.postLogoutRedirectWithoutRequest();
    if (redirect.isPresent() && postLogout.isPresent()) {
      report.info(
          "redirect URIs",
          "register redirect_uri "
              + redirect.get()
              + " and post-logout redirect URI "
              + postLogout.get()
              + " for client "
              + options.clientId().get());
    } else {
      report.info(
          "redirect URIs",
          "without --app-url they are built on each request's origin: register redirect_uri"
              + " <origin>"
              + urls.redirectPath()
              + " for client "
              + options.clientId().get()
              + " (give --app-url https://app.example.com, externalUrl, to see them whole)");
    }
  }
}
