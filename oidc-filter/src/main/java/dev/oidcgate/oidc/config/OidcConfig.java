package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.settings.Placeholders;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The whole configuration of one filter, as one immutable value composed of one record per concern.
 * Each component of the filter receives only the part it needs. Built in code with {@link
 * #builder()} or from {@code web.xml} init-params with {@link #fromInitParams(Map)}; both start
 * from the defaults in {@link OidcSetting} and are validated once, throwing {@link
 * OidcConfigException} naming the key at fault. Thread-safe; two filters never share one.
 *
 * @param client who the filter is at the provider, and how it authenticates there
 * @param provider the issuer, discovery and key refresh
 * @param http timeouts and size limits of calls to the provider
 * @param tokens access-token validation
 * @param access the principal, roles, groups and the access rule
 * @param upstream the identity headers for the app and upstreams
 * @param login credentials and the browser login
 * @param logout how a session ends
 * @param session where sessions live and how long
 * @param cookies the attributes of the filter's cookies
 * @param cluster Redis and back-channel logout, for several nodes
 * @param extensions what code plugged in (clock, transport, listener, store)
 * @param sources where settings not given were looked for (the environment prefix)
 * @param policy public paths, per-path rules, CORS preflights
 * @param scripts session info, login path and CORS origins for scripts
 * @param authorization extra parameters of the authorization request
 * @param metrics whether events are counted as metrics
 * @param groupsOverage whether Entra ID groups overage is resolved through Microsoft Graph
 * @param browser preserved form posts and the page a refused browser sees
 * @param dpopClient DPoP where the filter is the client ({@code dpop})
 * @param dpopTokens how DPoP-bound access tokens from callers are treated (RFC 9449)
 * @param clientKey the client's signing key and where its public half is published
 * @param authorizationRequest whether the authorization request is pushed (PAR) and signed (JAR)
 * @param securityProfile the security profile ({@code securityProfile=fapi2}) the rest obeys
 */
public record OidcConfig(
    ClientSettings client,
    ProviderSettings provider,
    HttpSettings http,
    TokenSettings tokens,
    AccessSettings access,
    UpstreamSettings upstream,
    LoginSettings login,
    LogoutSettings logout,
    SessionSettings session,
    CookieSettings cookies,
    ClusterSettings cluster,
    Extensions extensions,
    SourceSettings sources,
    PolicySettings policy,
    ScriptSettings scripts,
    AuthorizationSettings authorization,
    MetricsSettings metrics,
    GroupsOverageSettings groupsOverage,
    BrowserSettings browser,
    DpopClientSettings dpopClient,
    DpopTokenSettings dpopTokens,
    ClientKeySettings clientKey,
    AuthorizationRequestSettings authorizationRequest,
    SecurityProfileSettings securityProfile) {

  public OidcConfig {
    Objects.requireNonNull(client);
    Objects.requireNonNull(provider);
    Objects.requireNonNull(http);
    Objects.requireNonNull(tokens);
    Objects.requireNonNull(access);
    Objects.requireNonNull(upstream);
    Objects.requireNonNull(login);
    Objects.requireNonNull(logout);
    Objects.requireNonNull(session);
    Objects.requireNonNull(cookies);
    Objects.requireNonNull(cluster);
    Objects.requireNonNull(extensions);
    Objects.requireNonNull(sources);
    Objects.requireNonNull(policy);
    Objects.requireNonNull(scripts);
    Objects.requireNonNull(authorization);
    Objects.requireNonNull(metrics);
    Objects.requireNonNull(groupsOverage);
    Objects.requireNonNull(browser);
    Objects.requireNonNull(dpopClient);
    Objects.requireNonNull(dpopTokens);
    Objects.requireNonNull(clientKey);
    Objects.requireNonNull(authorizationRequest);
    Objects.requireNonNull(securityProfile);
    if (tokens.introspectionEndpoint().isPresent()) {
      if (client.clientSecret().isEmpty()
          && !client
              .introspectionAuthMethod()
              .equals(com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.PRIVATE_KEY_JWT)) {
        throw new OidcConfigException(
            ClientSettings.CLIENT_SECRET.key(), "is required when introspectionEndpoint is set");
      }
      if (client.clientId().isEmpty()) {
        throw new OidcConfigException(
            ClientSettings.CLIENT_ID.key(), "is required when introspectionEndpoint is set");
      }
    }
  }

  /**
   * The same settings with {@code provider} set to {@code profile}: what the filter starts with
   * when the discovery document names a provider that neither {@code provider} nor the issuer URL
   * did.
   */
  public OidcConfig withProvider(ProviderProfile profile) {
    return sources.rebuild().apply(b -> b.set(ProviderSettings.PROVIDER, profile));
  }

  /**
   * The configuration for one of {@code additionalIssuers}: the same settings with that issuer and
   * no further issuers. Without a {@code login} entry it takes bearer tokens only (no login, no
   * session); with one, browsers log in there too, with the entry's client (or {@code clientId})
   * and a session cookie of its own, {@code sessionCookieName.name}.
   *
   * <p>Groups overage is resolved there only with a client of its own in the entry: the app token
   * for Graph is asked for at the token endpoint that issuer's discovery names, and the main
   * client's credentials never go to an endpoint another issuer names (SECURITY.md).
   */
  public OidcConfig forAdditionalIssuer(IssuerLocation issuer, Optional<IssuerClient> login) {
    boolean ownClient = login.isPresent() && login.get().clientId().isPresent();
    return sources
        .rebuild()
        .apply(
            b -> {
              b.set(ProviderSettings.ISSUER, issuer)
                  .set(ProviderSettings.ADDITIONAL_ISSUERS, List.of())
                  .set(ClientSettings.ISSUER_CLIENTS, login.map(List::of).orElse(List.of()));
              if (!ownClient) {
                b.set(GroupsOverageSettings.GROUPS_OVERAGE, false);
              }
              if (login.isEmpty()) {
                b.set(LoginSettings.CREDENTIALS, List.of(Credential.BEARER))
                    .set(LoginSettings.UNAUTHENTICATED_ACTION, UnauthenticatedAction.DENY);
                return;
              }
              b.set(
                  CookieSettings.SESSION_COOKIE_NAME, cookies().name() + "." + login.get().name());
              login.get().clientId().ifPresent(id -> b.set(ClientSettings.CLIENT_ID, id));
              login
                  .get()
                  .clientSecret()
                  .ifPresent(secret -> b.set(ClientSettings.CLIENT_SECRET, secret));
            });
  }

  /** A builder holding every default from {@link OidcSetting}. */
  public static OidcConfigBuilder builder() {
    return new OidcConfigBuilder();
  }

  /**
   * Parses filter init-params. Every key must be one of {@link OidcSetting}; values may contain
   * {@code ${env:NAME}} and {@code ${sys:NAME}} placeholders. A blank value means the default.
   *
   * @throws OidcConfigException naming the first key that is unknown, malformed or missing
   */
  public static OidcConfig fromInitParams(Map<String, String> params) {
    return fromInitParams(params, Placeholders.fromSystem());
  }

  static OidcConfig fromInitParams(Map<String, String> params, Placeholders placeholders) {
    return fromInitParams(params, placeholders, System::getenv);
  }

  /**
   * @param env looks up the environment variables {@code environmentPrefix} names ({@code null}
   *     when unset); placeholders have their own lookup
   */
  static OidcConfig fromInitParams(
      Map<String, String> params, Placeholders placeholders, UnaryOperator<String> env) {
    return InitParams.read(params, placeholders, env);
  }
}
