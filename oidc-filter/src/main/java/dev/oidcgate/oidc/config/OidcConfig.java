package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.oidc.session.SessionStore;
import dev.oidcgate.settings.Placeholders;
import dev.oidcgate.settings.SettingException;
import java.time.Clock;
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
    GroupsOverageSettings groupsOverage) {

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
    if (tokens.introspectionEndpoint().isPresent()) {
      if (client.clientSecret().isEmpty()) {
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
   */
  public OidcConfig forAdditionalIssuer(IssuerLocation issuer, Optional<IssuerClient> login) {
    return sources
        .rebuild()
        .apply(
            b -> {
              b.set(ProviderSettings.ISSUER, issuer)
                  .set(ProviderSettings.ADDITIONAL_ISSUERS, List.of())
                  .set(ClientSettings.ISSUER_CLIENTS, login.map(List::of).orElse(List.of()));
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
  public static Builder builder() {
    return new Builder();
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
    Builder builder = builder().environment(env);
    for (Map.Entry<String, String> e : params.entrySet()) {
      OidcSetting<?> setting = known(e.getKey());
      String value = resolve(placeholders, e.getKey(), e.getValue());
      if (value != null && !value.isBlank()) {
        builder.parseInto(setting, value.trim());
      }
    }
    return builder.build();
  }

  private static String resolve(Placeholders placeholders, String key, String value) {
    try {
      return placeholders.resolve(key, value);
    } catch (SettingException e) {
      throw new OidcConfigException(e.key(), e.reason());
    }
  }

  private static OidcSetting<?> known(String key) {
    OidcSetting<?> setting = OidcSetting.forKey(key);
    if (setting == null) {
      throw new OidcConfigException(
          key, "unknown parameter; see docs/configuration.md for the keys");
    }
    return setting;
  }

  /**
   * Collects settings; not thread-safe. {@link #set(String, String)} takes any key as text, exactly
   * as an init-param; {@link #set(OidcSetting, Object)} takes a typed value. {@link #build()}
   * validates the whole and may be called once per value wanted.
   */
  public static final class Builder {
    private final SettingValues values = new SettingValues();
    private AccessRule extraRule = AccessRule.ALLOW_AUTHENTICATED;
    private Clock clock = Clock.systemUTC();
    private IdpTransport transport;
    private OidcEventListener eventListener;
    private SessionStore sessionStore;
    private UnaryOperator<String> environment = System::getenv;

    private Builder() {}

    /**
     * Sets a value from its text, exactly as an init-param would.
     *
     * @throws OidcConfigException for an unknown key or a malformed value, naming the key
     */
    public Builder set(String key, String text) {
      parseInto(known(key), text);
      return this;
    }

    /** Sets a typed value; validated with the rest by {@link #build()}. */
    public <T> Builder set(OidcSetting<T> setting, T value) {
      values.put(setting, Objects.requireNonNull(value));
      return this;
    }

    private <T> void parseInto(OidcSetting<T> setting, String text) {
      values.put(setting, setting.parse(text));
    }

    /** The issuer URL, or its discovery URL. */
    public Builder issuer(String issuerOrDiscoveryUrl) {
      return set(ProviderSettings.ISSUER.key(), issuerOrDiscoveryUrl);
    }

    public Builder clientId(String clientId) {
      return set(ClientSettings.CLIENT_ID.key(), clientId);
    }

    public Builder clientSecret(String clientSecret) {
      return set(ClientSettings.CLIENT_SECRET.key(), clientSecret);
    }

    /** A rule checked after the configured ones (code only; there is no init-param for it). */
    public Builder accessRule(AccessRule rule) {
      this.extraRule = Objects.requireNonNull(rule);
      return this;
    }

    /** The clock every expiry decision is made with (code only; for tests and odd deployments). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Replaces the HTTP transport to the identity provider (code only). */
    public Builder transport(IdpTransport transport) {
      this.transport = Objects.requireNonNull(transport);
      return this;
    }

    /** Hears logins, refreshes and refusals; overrides {@code eventListener}. */
    public Builder eventListener(OidcEventListener listener) {
      this.eventListener = Objects.requireNonNull(listener);
      return this;
    }

    /** A session store of your own (code only); overrides {@code sessionStore}. */
    public Builder sessionStore(SessionStore store) {
      this.sessionStore = Objects.requireNonNull(store);
      return this;
    }

    /**
     * Where {@code environmentPrefix} looks variables up (code only): the process environment
     * unless replaced, e.g. by a test or by a platform's own configuration source.
     *
     * @param env returns a variable's value, or {@code null} when it is unset
     */
    public Builder environment(UnaryOperator<String> env) {
      this.environment = Objects.requireNonNull(env);
      return this;
    }

    /**
     * @throws OidcConfigException naming the key when a required value is missing or values
     *     contradict
     */
    public OidcConfig build() {
      SettingValues values = this.values.copy();
      Builder given = copy();
      SourceSettings sources =
          SourceSettings.from(
              values,
              change -> {
                Builder b = given.copy();
                change.accept(b);
                return b.build();
              });
      Map<String, String> fromEnvironment =
          sources.environmentPrefix().isPresent()
              ? EnvironmentSettings.fill(values, sources.environmentPrefix().get(), environment)
              : Map.of();
      try {
        return build(values, sources);
      } catch (OidcConfigException e) {
        throw EnvironmentSettings.naming(e, fromEnvironment);
      }
    }

    private Builder copy() {
      Builder b = new Builder();
      b.values.putAll(values);
      b.extraRule = extraRule;
      b.clock = clock;
      b.transport = transport;
      b.eventListener = eventListener;
      b.sessionStore = sessionStore;
      b.environment = environment;
      return b;
    }

    private OidcConfig build(SettingValues values, SourceSettings sources) {
      ProviderProfile profile = ProviderSettings.applyProfile(values);
      ProviderSettings provider = ProviderSettings.from(values, profile);
      ClientSettings client = ClientSettings.from(values);
      MetricsSettings metrics = MetricsSettings.from(values);
      OidcEventListener listener =
          metrics.withMetrics(
              eventListener != null
                  ? eventListener
                  : values.optional(Extensions.EVENT_LISTENER).orElse(OidcEventListener.NONE));
      SessionSettings session = SessionSettings.from(values);
      return new OidcConfig(
          client,
          provider,
          HttpSettings.from(values),
          TokenSettings.from(values, client.clientId(), profile),
          AccessSettings.from(values, extraRule),
          UpstreamSettings.from(values),
          LoginSettings.from(values, client),
          LogoutSettings.from(values, profile),
          session,
          CookieSettings.from(values),
          ClusterSettings.from(values, session),
          new Extensions(
              clock, Optional.ofNullable(transport), listener, Optional.ofNullable(sessionStore)),
          sources,
          PolicySettings.from(values),
          ScriptSettings.from(values),
          AuthorizationSettings.from(values),
          metrics,
          GroupsOverageSettings.from(values, client));
    }
  }
}
