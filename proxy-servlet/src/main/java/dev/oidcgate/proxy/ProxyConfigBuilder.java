package dev.oidcgate.proxy;

import dev.oidcgate.settings.Placeholders;
import dev.oidcgate.settings.SettingException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Collects the settings of one {@link ProxyConfig}; get one from {@link ProxyConfig#builder()}.
 *
 * <p>Contract: every setting starts at its default, only {@code targetUri} must be set. Each method
 * is named after the init-param it sets ({@link ProxyConfig#keys()}); {@link #set(String, String)}
 * takes any of them as text. A bad value is refused at once with a {@link ProxyConfigException}
 * naming the key; {@link #build()} checks the whole. Not thread-safe: use it from one thread, then
 * {@code build()}. A builder may be reused: {@code build()} copies what it has.
 */
public final class ProxyConfigBuilder {

  private final Placeholders placeholders;
  private @Nullable URI targetUri;
  private Duration connectTimeout = Duration.ofSeconds(5);
  private Duration responseTimeout = Duration.ofSeconds(30);
  private Duration poolTimeout = Duration.ofSeconds(5);
  private Duration idleTimeout = Duration.ofSeconds(30);
  private int maxConnections = 100;
  private int maxConnectionsPerRoute;
  private boolean preserveHost;
  private TrustedProxies trustedProxies = TrustedProxies.NONE;
  private boolean realIpHeader;
  private UpstreamRequestCustomizer upstreamRequestCustomizer = UpstreamRequestCustomizer.NONE;

  ProxyConfigBuilder(Placeholders placeholders) {
    this.placeholders = placeholders;
  }

  /**
   * Sets one key from its text form, exactly as an init-param would, except that a blank value is
   * parsed (and so refused by most keys) rather than meaning the default.
   *
   * @throws ProxyConfigException if the key is unknown or the value malformed
   */
  public ProxyConfigBuilder set(String key, String value) {
    return set(key, value, false);
  }

  ProxyConfigBuilder set(String key, @Nullable String value, boolean blankMeansDefault) {
    ProxySetting setting = ProxySetting.forKey(key);
    if (value == null) {
      throw new ProxyConfigException(key, "has no value");
    }
    String resolved;
    try {
      // Placeholders return null only for a null value, refused above.
      resolved = Objects.requireNonNull(placeholders.resolve(key, value));
    } catch (SettingException e) {
      throw new ProxyConfigException(e.key(), e.reason());
    }
    if (!(blankMeansDefault && resolved.isBlank())) {
      setting.apply(this, resolved);
    }
    return this;
  }

  /**
   * The upstream base URI, {@code http} or {@code https}, optionally with a path prefix ({@code
   * http://10.0.0.5:8080/base}); a request for {@code /mapping/x} goes to {@code /base/x}.
   * Placeholders are resolved.
   */
  public ProxyConfigBuilder targetUri(String targetUri) {
    return set(ProxySetting.TARGET_URI.key(), Objects.requireNonNull(targetUri, "targetUri"));
  }

  ProxyConfigBuilder validTargetUri(URI uri) {
    this.targetUri = uri;
    return this;
  }

  /** Default 5 seconds; must be positive. */
  public ProxyConfigBuilder connectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive("connectTimeout", connectTimeout);
    return this;
  }

  /**
   * Default 30 seconds; must be positive. Long-lived streams (SSE) need it above their longest
   * pause.
   */
  public ProxyConfigBuilder responseTimeout(Duration responseTimeout) {
    this.responseTimeout = positive("responseTimeout", responseTimeout);
    return this;
  }

  /** Default 5 seconds; must be positive. */
  public ProxyConfigBuilder poolTimeout(Duration poolTimeout) {
    this.poolTimeout = positive("poolTimeout", poolTimeout);
    return this;
  }

  /** Default 30 seconds; must be positive. */
  public ProxyConfigBuilder idleTimeout(Duration idleTimeout) {
    this.idleTimeout = positive("idleTimeout", idleTimeout);
    return this;
  }

  /** Default 100; must be at least 1. */
  public ProxyConfigBuilder maxConnections(int maxConnections) {
    this.maxConnections = atLeastOne("maxConnections", maxConnections);
    return this;
  }

  /** Default: the same as {@code maxConnections}; must be at least 1 and not above it. */
  public ProxyConfigBuilder maxConnectionsPerRoute(int maxConnectionsPerRoute) {
    this.maxConnectionsPerRoute = atLeastOne("maxConnectionsPerRoute", maxConnectionsPerRoute);
    return this;
  }

  /** Default {@code false}: the upstream sees its own authority in {@code Host}. */
  public ProxyConfigBuilder preserveHost(boolean preserveHost) {
    this.preserveHost = preserveHost;
    return this;
  }

  /**
   * IP addresses and CIDR blocks separated by commas or line breaks ({@code 10.0.0.0/8, ::1}) whose
   * forwarding headers are kept and appended to; placeholders are resolved. Default: none, every
   * incoming forwarding header is replaced.
   */
  public ProxyConfigBuilder trustedProxies(String trustedProxies) {
    return set(
        ProxySetting.TRUSTED_PROXIES.key(),
        Objects.requireNonNull(trustedProxies, "trustedProxies"));
  }

  ProxyConfigBuilder validTrustedProxies(TrustedProxies trustedProxies) {
    this.trustedProxies = trustedProxies;
    return this;
  }

  /**
   * Default {@code false}. {@code true} sends {@code X-Real-IP} with the client's address: the
   * direct peer, or behind trusted proxies the rightmost untrusted {@code X-Forwarded-For} entry
   * (an {@code X-Real-IP} a trusted proxy sent is kept instead).
   */
  public ProxyConfigBuilder realIpHeader(boolean realIpHeader) {
    this.realIpHeader = realIpHeader;
    return this;
  }

  /**
   * Default {@link UpstreamRequestCustomizer#NONE}. As an init-param: a class name with a public
   * no-arg constructor.
   */
  public ProxyConfigBuilder upstreamRequestCustomizer(UpstreamRequestCustomizer customizer) {
    this.upstreamRequestCustomizer =
        Objects.requireNonNull(customizer, "upstreamRequestCustomizer");
    return this;
  }

  /**
   * @return the validated configuration
   * @throws ProxyConfigException if {@code targetUri} is missing or the pool sizes contradict each
   *     other
   */
  public ProxyConfig build() {
    if (targetUri == null) {
      throw new ProxyConfigException(
          "targetUri", "is required (the upstream base URI, e.g. http://localhost:8080)");
    }
    if (maxConnectionsPerRoute > maxConnections) {
      throw new ProxyConfigException(
          "maxConnectionsPerRoute",
          maxConnectionsPerRoute + " exceeds maxConnections " + maxConnections);
    }
    return new ProxyConfig(
        targetUri,
        connectTimeout,
        responseTimeout,
        poolTimeout,
        idleTimeout,
        maxConnections,
        maxConnectionsPerRoute == 0 ? maxConnections : maxConnectionsPerRoute,
        preserveHost,
        trustedProxies,
        realIpHeader,
        upstreamRequestCustomizer);
  }

  private static Duration positive(String key, @Nullable Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ProxyConfigException(key, "must be a positive duration");
    }
    return value;
  }

  private static int atLeastOne(String key, int value) {
    if (value < 1) {
      throw new ProxyConfigException(key, "must be at least 1, was " + value);
    }
    return value;
  }
}
