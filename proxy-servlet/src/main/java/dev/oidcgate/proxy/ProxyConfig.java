package dev.oidcgate.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Everything a {@link ProxyServlet} needs to know, as one immutable, validated value.
 *
 * <p>There are two ways in, and both land here: {@link #builder()} in code, and {@link
 * #fromParameters(Map)} for servlet init-params. Every init-param key is the name of a builder
 * method, so {@code <param-name>connectTimeout</param-name>} and {@code .connectTimeout(..)} are
 * the same setting. Values given as text may contain {@code ${env:NAME}} and {@code ${sys:NAME}}
 * placeholders. Any problem (unknown key, malformed value, missing variable, contradictory options)
 * is a {@link ProxyConfigException} whose message starts with the key.
 *
 * <p>Instances are immutable and thread-safe; two servlets never share mutable configuration.
 */
public final class ProxyConfig {

  private static final Map<String, BiConsumer<Builder, String>> KEYS = textSetters();

  private final URI targetUri;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Duration poolTimeout;
  private final Duration idleTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerRoute;
  private final boolean preserveHost;
  private final TrustedProxies trustedProxies;
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
    this.upstreamRequestCustomizer = b.upstreamRequestCustomizer;
  }

  /** A builder with every default in place; only {@code targetUri} must be set. */
  public static Builder builder() {
    return new Builder(Placeholders.system());
  }

  /**
   * Reads servlet init-params (or any key/value source).
   *
   * @param parameters key to raw value; placeholders are resolved against the process environment
   *     and system properties
   * @throws ProxyConfigException on the first unknown key or bad value, naming the key
   */
  public static ProxyConfig fromParameters(Map<String, String> parameters) {
    return fromParameters(parameters, Placeholders.system());
  }

  static ProxyConfig fromParameters(Map<String, String> parameters, Placeholders placeholders) {
    Builder builder = new Builder(placeholders);
    parameters.forEach(builder::set);
    return builder.build();
  }

  /** Every key {@link Builder#set(String, String)} accepts, in documentation order. */
  public static Set<String> keys() {
    return KEYS.keySet();
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
        + "}";
  }

  private static Map<String, BiConsumer<Builder, String>> textSetters() {
    Map<String, BiConsumer<Builder, String>> keys = new LinkedHashMap<>();
    keys.put("targetUri", Builder::resolvedTargetUri);
    keys.put("connectTimeout", (b, v) -> b.connectTimeout(Durations.parse(v)));
    keys.put("responseTimeout", (b, v) -> b.responseTimeout(Durations.parse(v)));
    keys.put("poolTimeout", (b, v) -> b.poolTimeout(Durations.parse(v)));
    keys.put("idleTimeout", (b, v) -> b.idleTimeout(Durations.parse(v)));
    keys.put("maxConnections", (b, v) -> b.maxConnections(parseInt(v)));
    keys.put("maxConnectionsPerRoute", (b, v) -> b.maxConnectionsPerRoute(parseInt(v)));
    keys.put("preserveHost", (b, v) -> b.preserveHost(parseBoolean(v)));
    keys.put("trustedProxies", Builder::resolvedTrustedProxies);
    keys.put("upstreamRequestCustomizer", (b, v) -> b.upstreamRequestCustomizer(instantiate(v)));
    return Collections.unmodifiableMap(keys);
  }

  private static int parseInt(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number");
    }
  }

  private static boolean parseBoolean(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("'" + value + "' is neither true nor false");
    }
  }

  private static UpstreamRequestCustomizer instantiate(String className) {
    String name = className.trim();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      Class<?> type =
          Class.forName(name, true, loader != null ? loader : ProxyConfig.class.getClassLoader());
      if (!UpstreamRequestCustomizer.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            name + " does not implement " + UpstreamRequestCustomizer.class.getName());
      }
      return (UpstreamRequestCustomizer) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(
          "cannot create "
              + name
              + " with a public no-argument constructor ("
              + e.getClass().getSimpleName()
              + ")");
    }
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
    private UpstreamRequestCustomizer upstreamRequestCustomizer = UpstreamRequestCustomizer.NONE;

    private Builder(Placeholders placeholders) {
      this.placeholders = placeholders;
    }

    /**
     * Sets one key from its text form, exactly as an init-param would.
     *
     * @throws ProxyConfigException if the key is unknown or the value malformed
     */
    public Builder set(String key, String value) {
      BiConsumer<Builder, String> setter = KEYS.get(key);
      if (setter == null) {
        throw new ProxyConfigException(
            key, "unknown parameter (known: " + String.join(", ", KEYS.keySet()) + ")");
      }
      if (value == null) {
        throw new ProxyConfigException(key, "has no value");
      }
      String resolved = placeholders.resolve(key, value);
      try {
        setter.accept(this, resolved);
      } catch (ProxyConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new ProxyConfigException(key, e.getMessage());
      }
      return this;
    }

    /**
     * The upstream base URI, {@code http} or {@code https}, optionally with a path prefix ({@code
     * http://10.0.0.5:8080/base}); a request for {@code /mapping/x} goes to {@code /base/x}.
     * Placeholders are resolved.
     */
    public Builder targetUri(String targetUri) {
      return resolvedTargetUri(
          placeholders.resolve("targetUri", Objects.requireNonNull(targetUri, "targetUri")));
    }

    private Builder resolvedTargetUri(String resolved) {
      URI uri;
      try {
        uri = new URI(resolved.trim());
      } catch (URISyntaxException e) {
        throw new ProxyConfigException(
            "targetUri", "'" + resolved + "' is not a URI (" + e.getReason() + ")");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new ProxyConfigException(
            "targetUri", "'" + resolved + "' must be an absolute http or https URI");
      }
      if (uri.getHost() == null) {
        throw new ProxyConfigException("targetUri", "'" + resolved + "' has no host");
      }
      if (uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new ProxyConfigException(
            "targetUri", "'" + resolved + "' must not have user info, a query or a fragment");
      }
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
     * Comma-separated IP addresses and CIDR blocks ({@code 10.0.0.0/8, ::1}) whose forwarding
     * headers are kept and appended to. Default: none, every incoming forwarding header is
     * replaced.
     */
    public Builder trustedProxies(String trustedProxies) {
      Objects.requireNonNull(trustedProxies, "trustedProxies");
      return resolvedTrustedProxies(placeholders.resolve("trustedProxies", trustedProxies));
    }

    private Builder resolvedTrustedProxies(String resolved) {
      try {
        this.trustedProxies = TrustedProxies.parse(resolved);
      } catch (IllegalArgumentException e) {
        throw new ProxyConfigException("trustedProxies", e.getMessage());
      }
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
