package dev.oidcgate.proxy;

import dev.oidcgate.settings.Placeholders;
import dev.oidcgate.settings.SettingException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link ProxyServlet} needs to know, as one immutable, validated value.
 *
 * <p>There are two ways in, and both land here: {@link #builder()} in code, and {@link
 * #fromParameters(Map)} for servlet init-params. Every init-param key is the name of a builder
 * method, so {@code <param-name>connectTimeout</param-name>} and {@code .connectTimeout(..)} are
 * the same setting. Values given as text are read with the filter's grammar (the {@code
 * oidc-gate-settings} module): {@code ${env:NAME}} and {@code ${sys:NAME}} placeholders, durations
 * such as {@code 500ms}, {@code 30s} or {@code 1d}, {@code true}/{@code false}. Any problem
 * (unknown key, malformed value, missing variable, contradictory options) is a {@link
 * ProxyConfigException} whose message starts with the key. The keys and their parsing are listed in
 * one place, the package's {@code ProxySetting}.
 *
 * <p>Instances are immutable and thread-safe; two servlets never share mutable configuration.
 */
public final class ProxyConfig {

  private final URI targetUri;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Duration poolTimeout;
  private final Duration idleTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerRoute;
  private final boolean preserveHost;
  private final TrustedProxies trustedProxies;
  private final boolean realIpHeader;
  private final UpstreamRequestCustomizer upstreamRequestCustomizer;

  private ProxyConfig(Builder b) {
    this.targetUri = b.targetUri;
    this.connectTimeout = b.connectTimeout;
    this.responseTimeout = b.responseTimeout;
    this.poolTimeout = b.poolTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerRoute =
        b.maxConnectionsPerRoute == 0 ? b.maxConnections : b.maxConnectionsPerRoute;
    this.preserveHost = b.preserveHost;
    this.trustedProxies = b.trustedProxies;
    this.realIpHeader = b.realIpHeader;
    this.upstreamRequestCustomizer = b.upstreamRequestCustomizer;
  }

  /** A builder with every default in place; only {@code targetUri} must be set. */
  public static Builder builder() {
    return new Builder(Placeholders.fromSystem());
  }

  /**
   * Reads servlet init-params (or any key/value source).
   *
   * @param parameters key to raw value; placeholders are resolved against the process environment
   *     and system properties. A value that is blank once resolved means the key's default, as in
   *     the filter, so {@code ${env:NAME:}} makes a variable optional.
   * @throws ProxyConfigException on the first unknown key or bad value, naming the key
   */
  public static ProxyConfig fromParameters(Map<String, String> parameters) {
    return fromParameters(parameters, Placeholders.fromSystem());
  }

  static ProxyConfig fromParameters(Map<String, String> parameters, Placeholders placeholders) {
    Builder builder = new Builder(placeholders);
    parameters.forEach((key, value) -> builder.set(key, value, true));
    return builder.build();
  }

  /** Every key {@link Builder#set(String, String)} accepts, in documentation order. */
  public static Set<String> keys() {
    return ProxySetting.keys();
  }

  /**
   * The upstream's base URI: scheme, authority and an optional path prefix; no query, no fragment.
   */
  public URI targetUri() {
    return targetUri;
  }

  /** How long to wait for the TCP (and TLS) connection to the upstream; exceeding it means 504. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The longest silence allowed while waiting for the upstream's response head or between two reads
   * of its body; exceeding it before the response starts means 504.
   */
  public Duration responseTimeout() {
    return responseTimeout;
  }

  /** How long a request waits for a free pooled connection; exceeding it means 503. */
  public Duration poolTimeout() {
    return poolTimeout;
  }

  /** Pooled connections idle for longer than this are closed in the background. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** The most connections open to the upstream at once. */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * The most connections to one route (scheme, host, port); defaults to {@link #maxConnections()}.
   */
  public int maxConnectionsPerRoute() {
    return maxConnectionsPerRoute;
  }

  /**
   * Whether the client's {@code Host} header goes to the upstream instead of the target's
   * authority.
   */
  public boolean preserveHost() {
    return preserveHost;
  }

  TrustedProxies trustedProxies() {
    return trustedProxies;
  }

  /** Whether the proxy sends {@code X-Real-IP} with the client's address. */
  public boolean realIpHeader() {
    return realIpHeader;
  }

  /** The hook that may change each upstream request just before it is sent; never {@code null}. */
  public UpstreamRequestCustomizer upstreamRequestCustomizer() {
    return upstreamRequestCustomizer;
  }

  @Override
  public String toString() {
    return "ProxyConfig{targetUri="
        + targetUri
        + ", connectTimeout="
        + connectTimeout
        + ", responseTimeout="
        + responseTimeout
        + ", poolTimeout="
        + poolTimeout
        + ", idleTimeout="
        + idleTimeout
        + ", maxConnections="
        + maxConnections
        + ", maxConnectionsPerRoute="
        + maxConnectionsPerRoute
        + ", preserveHost="
        + preserveHost
        + ", trustedProxies="
        + trustedProxies
        + ", realIpHeader="
        + realIpHeader
        + "}";
  }

  /**
   * Collects settings; not thread-safe, use it from one thread and then {@link #build()}. A builder
   * may be reused: {@code build()} copies what it has.
   */
  public static final class Builder {

    private final Placeholders placeholders;
    private URI targetUri;
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

    private Builder(Placeholders placeholders) {
      this.placeholders = placeholders;
    }

    /**
     * Sets one key from its text form, exactly as an init-param would, except that a blank value is
     * parsed (and so refused by most keys) rather than meaning the default.
     *
     * @throws ProxyConfigException if the key is unknown or the value malformed
     */
    public Builder set(String key, String value) {
      return set(key, value, false);
    }

    Builder set(String key, String value, boolean blankMeansDefault) {
      ProxySetting setting = ProxySetting.forKey(key);
      if (value == null) {
        throw new ProxyConfigException(key, "has no value");
      }
      String resolved;
      try {
        resolved = placeholders.resolve(key, value);
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
    public Builder targetUri(String targetUri) {
      return set(ProxySetting.TARGET_URI.key(), Objects.requireNonNull(targetUri, "targetUri"));
    }

    Builder validTargetUri(URI uri) {
      this.targetUri = uri;
      return this;
    }

    /** Default 5 seconds; must be positive. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Default 30 seconds; must be positive. Long-lived streams (SSE) need it above their longest
     * pause.
     */
    public Builder responseTimeout(Duration responseTimeout) {
      this.responseTimeout = positive("responseTimeout", responseTimeout);
      return this;
    }

    /** Default 5 seconds; must be positive. */
    public Builder poolTimeout(Duration poolTimeout) {
      this.poolTimeout = positive("poolTimeout", poolTimeout);
      return this;
    }

    /** Default 30 seconds; must be positive. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive("idleTimeout", idleTimeout);
      return this;
    }

    /** Default 100; must be at least 1. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = atLeastOne("maxConnections", maxConnections);
      return this;
    }

    /** Default: the same as {@code maxConnections}; must be at least 1 and not above it. */
    public Builder maxConnectionsPerRoute(int maxConnectionsPerRoute) {
      this.maxConnectionsPerRoute = atLeastOne("maxConnectionsPerRoute", maxConnectionsPerRoute);
      return this;
    }

    /** Default {@code false}: the upstream sees its own authority in {@code Host}. */
    public Builder preserveHost(boolean preserveHost) {
      this.preserveHost = preserveHost;
      return this;
    }

    /**
     * IP addresses and CIDR blocks separated by commas or line breaks ({@code 10.0.0.0/8, ::1})
     * whose forwarding headers are kept and appended to; placeholders are resolved. Default: none,
     * every incoming forwarding header is replaced.
     */
    public Builder trustedProxies(String trustedProxies) {
      return set(
          ProxySetting.TRUSTED_PROXIES.key(),
          Objects.requireNonNull(trustedProxies, "trustedProxies"));
    }

    Builder validTrustedProxies(TrustedProxies trustedProxies) {
      this.trustedProxies = trustedProxies;
      return this;
    }

    /**
     * Default {@code false}. {@code true} sends {@code X-Real-IP} with the client's address: the
     * direct peer, or behind trusted proxies the rightmost untrusted {@code X-Forwarded-For} entry
     * (an {@code X-Real-IP} a trusted proxy sent is kept instead).
     */
    public Builder realIpHeader(boolean realIpHeader) {
      this.realIpHeader = realIpHeader;
      return this;
    }

    /**
     * Default {@link UpstreamRequestCustomizer#NONE}. As an init-param: a class name with a public
     * no-arg constructor.
     */
    public Builder upstreamRequestCustomizer(UpstreamRequestCustomizer customizer) {
      this.upstreamRequestCustomizer =
          Objects.requireNonNull(customizer, "upstreamRequestCustomizer");
      return this;
    }

    /**
     * @return the validated configuration
     * @throws ProxyConfigException if {@code targetUri} is missing or the pool sizes contradict
     *     each other
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
      return new ProxyConfig(this);
    }

    private static Duration positive(String key, Duration value) {
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
}
