package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.session.SessionStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Collects the settings of one {@link OidcConfig}; get one from {@link OidcConfig#builder()}.
 *
 * <p>Contract: every setting starts at its default from {@link OidcSetting}. {@link #set(String,
 * String)} takes any key as text, exactly as an init-param; {@link #set(OidcSetting, Object)} takes
 * a typed value; the other methods are shorthands or settings that exist in code only. A malformed
 * value is refused at once, naming the key; {@link #build()} validates the whole and may be called
 * again, each call building from a copy of what the builder holds then. Not thread-safe: use it
 * from one thread.
 */
public final class OidcConfigBuilder {
  private final SettingValues values = new SettingValues();
  private AccessRule extraRule = AccessRule.ALLOW_AUTHENTICATED;
  private Clock clock = Clock.systemUTC();
  private @Nullable IdpTransport transport;
  private @Nullable OidcEventListener eventListener;
  private @Nullable SessionStore sessionStore;
  private UnaryOperator<String> environment = System::getenv;

  OidcConfigBuilder() {}

  /**
   * Sets a value from its text, exactly as an init-param would.
   *
   * @throws OidcConfigException for an unknown key or a malformed value, naming the key
   */
  public OidcConfigBuilder set(String key, String text) {
    parseInto(InitParams.known(key), text);
    return this;
  }

  /** Sets a typed value; validated with the rest by {@link #build()}. */
  public <T> OidcConfigBuilder set(OidcSetting<T> setting, T value) {
    values.put(setting, Objects.requireNonNull(value));
    return this;
  }

  <T> void parseInto(OidcSetting<T> setting, String text) {
    values.put(setting, setting.parse(text));
  }

  /** A setting given blank: its default, not filled from the environment. */
  void blank(OidcSetting<?> setting) {
    values.putBlank(setting);
  }

  /** The issuer URL, or its discovery URL. */
  public OidcConfigBuilder issuer(String issuerOrDiscoveryUrl) {
    return set(ProviderSettings.ISSUER.key(), issuerOrDiscoveryUrl);
  }

  public OidcConfigBuilder clientId(String clientId) {
    return set(ClientSettings.CLIENT_ID.key(), clientId);
  }

  public OidcConfigBuilder clientSecret(String clientSecret) {
    return set(ClientSettings.CLIENT_SECRET.key(), clientSecret);
  }

  /** A rule checked after the configured ones (code only; there is no init-param for it). */
  public OidcConfigBuilder accessRule(AccessRule rule) {
    this.extraRule = Objects.requireNonNull(rule);
    return this;
  }

  /** The clock every expiry decision is made with (code only; for tests and odd deployments). */
  public OidcConfigBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  /** Replaces the HTTP transport to the identity provider (code only). */
  public OidcConfigBuilder transport(IdpTransport transport) {
    this.transport = Objects.requireNonNull(transport);
    return this;
  }

  /** Hears logins, refreshes and refusals; overrides {@code eventListener}. */
  public OidcConfigBuilder eventListener(OidcEventListener listener) {
    this.eventListener = Objects.requireNonNull(listener);
    return this;
  }

  /** A session store of your own (code only); overrides {@code sessionStore}. */
  public OidcConfigBuilder sessionStore(SessionStore store) {
    this.sessionStore = Objects.requireNonNull(store);
    return this;
  }

  /**
   * Where {@code environmentPrefix} looks variables up (code only): the process environment unless
   * replaced, e.g. by a test or by a platform's own configuration source.
   *
   * @param env returns a variable's value, or {@code null} when it is unset
   */
  public OidcConfigBuilder environment(UnaryOperator<String> env) {
    this.environment = Objects.requireNonNull(env);
    return this;
  }

  /**
   * @throws OidcConfigException naming the key when a required value is missing or values
   *     contradict
   */
  public OidcConfig build() {
    SettingValues values = this.values.copy();
    OidcConfigBuilder given = copy();
    Optional<String> prefix = values.optional(SourceSettings.ENVIRONMENT_PREFIX);
    Map<String, String> fromEnvironment =
        prefix.isPresent() ? EnvironmentSettings.fill(values, prefix.get(), environment) : Map.of();
    SourceSettings sources =
        new SourceSettings(
            prefix,
            List.copyOf(fromEnvironment.keySet()),
            change -> {
              OidcConfigBuilder b = given.copy();
              change.accept(b);
              return b.build();
            });
    try {
      return build(values, sources);
    } catch (OidcConfigException e) {
      throw EnvironmentSettings.naming(e, fromEnvironment);
    }
  }

  private OidcConfigBuilder copy() {
    OidcConfigBuilder b = new OidcConfigBuilder();
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
    // After the provider's defaults, which it overrides; before anything reads what it sets.
    SecurityProfileSettings securityProfile = SecurityProfileSettings.apply(values);
    ProviderSettings provider = ProviderSettings.from(values, profile);
    ClientSettings client = ClientSettings.from(values);
    MetricsSettings metrics = MetricsSettings.from(values);
    OidcEventListener listener =
        metrics.withMetrics(
            eventListener != null
                ? eventListener
                : values.optional(Extensions.EVENT_LISTENER).orElse(OidcEventListener.NONE));
    SessionSettings session = SessionSettings.from(values);
    AuthorizationRequestSettings authorizationRequest = AuthorizationRequestSettings.from(values);
    ClientKeySettings clientKey =
        ClientKeySettings.from(values, client, authorizationRequest.signed());
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
        GroupsOverageSettings.from(values, client),
        BrowserSettings.from(values),
        DpopClientSettings.from(values),
        DpopTokenSettings.from(values),
        clientKey,
        authorizationRequest,
        securityProfile);
  }
}
