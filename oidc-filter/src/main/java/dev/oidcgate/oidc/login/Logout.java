package dev.oidcgate.oidc.login;

import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.LogoutSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.idp.DpopKey;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * RP-initiated logout: ends the session, revokes its tokens where configured, and builds the URL of
 * the provider's logout endpoint. Thread-safe.
 */
final class Logout {

  private final ProviderMetadataSource provider;
  private final IdpClient idp;
  private final SessionKeeper sessions;
  private final LogoutSettings logoutSettings;
  private final SafeEvents events;

  Logout(
      ProviderMetadataSource provider,
      IdpClient idp,
      SessionKeeper sessions,
      LogoutSettings logoutSettings,
      SafeEvents events) {
    this.provider = provider;
    this.idp = idp;
    this.sessions = sessions;
    this.logoutSettings = logoutSettings;
    this.events = events;
  }

  /** See {@link LoginFlow#logout}. */
  URI logout(Optional<OidcSession> session, URI postLogoutRedirect, SessionCookies cookies)
      throws OidcErrorException {
    if (session.isPresent()) {
      events.fire(l -> l.loggedOut(session.get().subject()));
      sessions.end(session.get(), cookies);
      if (logoutSettings.revoke()) {
        // The refresh token ends the grant. A JWT access token is left to expire: Auth0 and
        // Cognito refuse to revoke one (400 unsupported_token_type), and where an IdP accepts it,
        // only its introspection and UserInfo learn, not a server that checks the JWT itself.
        DpopKey dpopKey = DpopKey.ofSession(session.get().dpopKey());
        session
            .get()
            .refreshTokenValue()
            .ifPresent(rt -> idp.revoke(new RefreshToken(rt), dpopKey));
        String accessToken = session.get().accessToken();
        if (!AccessTokenInspector.isJwt(accessToken)) {
          idp.revoke(
              session.get().dpopBound()
                  ? new DPoPAccessToken(accessToken)
                  : new BearerAccessToken(accessToken),
              dpopKey);
        }
      }
    }
    String parameter = logoutSettings.redirectParameter();
    Optional<URI> endpoint =
        logoutSettings.endpoint().or(() -> Optional.ofNullable(endSessionEndpoint()));
    if (endpoint.isEmpty()) {
      Optional<Map.Entry<URI, String>> fallback = providerLogout();
      if (fallback.isEmpty()) {
        return postLogoutRedirect;
      }
      endpoint = Optional.of(fallback.get().getKey());
      parameter = fallback.get().getValue();
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    session.ifPresent(s -> query.put("id_token_hint", List.of(s.idToken())));
    query.put("client_id", List.of(idp.clientId().getValue()));
    query.put(parameter, List.of(postLogoutRedirect.toString()));
    String separator = endpoint.get().getRawQuery() == null ? "?" : "&";
    return URI.create(endpoint.get() + separator + URLUtils.serializeParameters(query));
  }

  /** The provider's own logout URL (Cognito's, Auth0's), where discovery names none. */
  private Optional<Map.Entry<URI, String>> providerLogout() {
    if (!provider.isReady()) {
      return Optional.empty();
    }
    try {
      OIDCProviderMetadata metadata = provider.current();
      return logoutSettings
          .provider()
          .logoutFallback(metadata.getAuthorizationEndpointURI(), metadata.getIssuer().getValue());
    } catch (OidcErrorException e) {
      return Optional.empty();
    }
  }

  private @Nullable URI endSessionEndpoint() {
    if (!provider.isReady()) {
      return null;
    }
    try {
      return provider.current().getEndSessionEndpointURI();
    } catch (OidcErrorException e) {
      return null;
    }
  }
}
