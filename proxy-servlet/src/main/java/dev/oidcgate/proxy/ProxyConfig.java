package dev.oidcgate.proxy;

import dev.oidcgate.settings.Placeholders;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
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

  /** Takes values {@link ProxyConfigBuilder#build()} has checked. */
  ProxyConfig(
      URI targetUri,
      Duration connectTimeout,
      Duration responseTimeout,
      Duration poolTimeout,
      Duration idleTimeout,
      int maxConnections,
      int maxConnectionsPerRoute,
      boolean preserveHost,
      TrustedProxies trustedProxies,
      boolean realIpHeader,
      UpstreamRequestCustomizer upstreamRequestCustomizer) {
    this.targetUri = targetUri;
    this.connectTimeout = connectTimeout;
    this.responseTimeout = responseTimeout;
    this.poolTimeout = poolTimeout;
    this.idleTimeout = idleTimeout;
    this.maxConnections = maxConnections;
    this.maxConnectionsPerRoute = maxConnectionsPerRoute;
    this.preserveHost = preserveHost;
    this.trustedProxies = trustedProxies;
    this.realIpHeader = realIpHeader;
    this.upstreamRequestCustomizer = upstreamRequestCustomizer;
  }

  /** A builder with every default in place; only {@code targetUri} must be set. */
  public static ProxyConfigBuilder builder() {
    return new ProxyConfigBuilder(Placeholders.fromSystem());
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
    ProxyConfigBuilder builder = new ProxyConfigBuilder(placeholders);
    parameters.forEach((key, value) -> builder.set(key, value, true));
    return builder.build();
  }

  /** Every key {@link ProxyConfigBuilder#set(String, String)} accepts, in documentation order. */
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
}
