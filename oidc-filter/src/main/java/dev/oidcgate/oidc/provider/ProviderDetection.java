package dev.oidcgate.oidc.provider;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.ProviderProfile;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Names the provider from its discovery document, for issuers whose URL does not (a custom domain,
 * a stand-in): by the shape of the endpoints each product publishes. Stateless.
 */
public final class ProviderDetection {

  private ProviderDetection() {}

  /** The provider the document looks like, or empty when it looks like none in particular. */
  public static Optional<ProviderProfile> fromDiscovery(OIDCProviderMetadata m) {
    String issuer = m.getIssuer().getValue();
    Optional<ProviderProfile> byIssuer = ProviderProfile.fromIssuer(issuer);
    if (byIssuer.isPresent()) {
      return byIssuer;
    }
    String authorization = path(m.getAuthorizationEndpointURI());
    if (host(m.getAuthorizationEndpointURI()).endsWith(".amazoncognito.com")
        || path(m.getUserInfoEndpointURI()).endsWith("/oauth2/userInfo")) {
      return Optional.of(ProviderProfile.COGNITO); // Cognito alone spells it userInfo
    }
    if (issuer.contains("{tenantid}")
        || m.getCustomParameter("tenant_region_scope") != null
        || m.getCustomParameter("msgraph_host") != null) {
      return Optional.of(ProviderProfile.ENTRA);
    }
    if (authorization.endsWith("/protocol/openid-connect/auth")) {
      return Optional.of(ProviderProfile.KEYCLOAK);
    }
    if (authorization.endsWith("/v1/authorize")) {
      return Optional.of(ProviderProfile.OKTA);
    }
    if (path(m.getTokenEndpointURI()).endsWith("/oauth/token")
        && path(m.getDeviceAuthorizationEndpointURI()).endsWith("/oauth/device/code")) {
      return Optional.of(ProviderProfile.AUTH0);
    }
    return Optional.empty();
  }

  private static String path(@Nullable URI uri) {
    return uri == null || uri.getRawPath() == null ? "" : uri.getRawPath();
  }

  private static String host(@Nullable URI uri) {
    return uri == null || uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
  }
}
