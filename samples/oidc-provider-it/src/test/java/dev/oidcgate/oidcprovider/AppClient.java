package dev.oidcgate.oidcprovider;

import dev.oidcgate.oidc.testsupport.FilterServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One filter's client at the OP: its id and secret are made up here, the filter started with them,
 * and the client registered once the filter's port gives its redirect and back-channel logout URIs.
 */
final class AppClient {

  final String id = "app-" + UUID.randomUUID();
  final String secret = "secret-" + UUID.randomUUID();

  /**
   * The filter's settings for this client at {@code issuer}; access tokens are for {@link
   * SharedProvider#API}.
   */
  Map<String, String> filterSettings(String issuer) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", issuer);
    p.put("clientId", id);
    p.put("clientSecret", secret);
    p.put("audience", SharedProvider.API);
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("upstreamIdTokenHeader", "X-Id-Token");
    return p;
  }

  /**
   * The registration metadata {@link #register} sends, to change before sending it with {@link
   * OidcProviderServer#register} (another auth method, PAR or signed request objects required).
   */
  Map<String, Object> metadata(FilterServer app) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("client_id", id);
    metadata.put("client_secret", secret);
    metadata.put("redirect_uris", List.of(app.uri("/callback").toString()));
    metadata.put("post_logout_redirect_uris", List.of(app.uri("/").toString()));
    metadata.put("grant_types", List.of("authorization_code"));
    metadata.put("response_types", List.of("code"));
    metadata.put("token_endpoint_auth_method", "client_secret_basic");
    return metadata;
  }

  /** Registers the client for {@code app}: code flow, client_secret_basic, back-channel logout. */
  void register(OidcProviderServer op, FilterServer app) throws Exception {
    register(op, app, Map.of());
  }

  /** Like {@link #register(OidcProviderServer, FilterServer)}, with more client metadata. */
  void register(OidcProviderServer op, FilterServer app, Map<String, Object> more)
      throws Exception {
    Map<String, Object> metadata = metadata(app);
    metadata.put("backchannel_logout_uri", app.uri("/backchannel-logout").toString());
    metadata.put("backchannel_logout_session_required", true);
    metadata.putAll(more);
    op.register(metadata);
  }
}
