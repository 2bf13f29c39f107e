package dev.oidcgate.proxy;

import dev.oidcgate.settings.SettingParsers;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The init-param keys, in documentation order, and how each one's text becomes a call of the {@link
 * ProxyConfigBuilder} method of the same name. Text is read with the grammar the filter reads its
 * settings with ({@link SettingParsers}), so {@code 1d}, {@code TRUE} or a comma list mean the same
 * in both; what a key adds on top (a positive timeout, no query in {@code targetUri}) is checked by
 * the builder method or here.
 */
enum ProxySetting {
  TARGET_URI("targetUri", (b, v) -> b.validTargetUri(targetUri(v))),
  CONNECT_TIMEOUT("connectTimeout", (b, v) -> b.connectTimeout(SettingParsers.duration(v))),
  RESPONSE_TIMEOUT("responseTimeout", (b, v) -> b.responseTimeout(SettingParsers.duration(v))),
  POOL_TIMEOUT("poolTimeout", (b, v) -> b.poolTimeout(SettingParsers.duration(v))),
  IDLE_TIMEOUT("idleTimeout", (b, v) -> b.idleTimeout(SettingParsers.duration(v))),
  MAX_CONNECTIONS("maxConnections", (b, v) -> b.maxConnections(SettingParsers.positiveInt(v))),
  MAX_CONNECTIONS_PER_ROUTE(
      "maxConnectionsPerRoute", (b, v) -> b.maxConnectionsPerRoute(SettingParsers.positiveInt(v))),
  PRESERVE_HOST("preserveHost", (b, v) -> b.preserveHost(SettingParsers.bool(v))),
  TRUSTED_PROXIES("trustedProxies", (b, v) -> b.validTrustedProxies(TrustedProxies.parse(v))),
  REAL_IP_HEADER("realIpHeader", (b, v) -> b.realIpHeader(SettingParsers.bool(v))),
  UPSTREAM_REQUEST_CUSTOMIZER(
      "upstreamRequestCustomizer",
      (b, v) ->
          b.upstreamRequestCustomizer(
              SettingParsers.instanceOf(v, UpstreamRequestCustomizer.class)));

  private static final Set<String> KEYS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(Arrays.stream(values()).map(ProxySetting::key).toList()));

  private final String key;
  private final BiConsumer<ProxyConfigBuilder, String> setter;

  ProxySetting(String key, BiConsumer<ProxyConfigBuilder, String> setter) {
    this.key = key;
    this.setter = setter;
  }

  /** Every key, in documentation order. */
  static Set<String> keys() {
    return KEYS;
  }

  /**
   * @throws ProxyConfigException naming the key, and the known ones, if it is not one of them
   */
  static ProxySetting forKey(String key) {
    for (ProxySetting setting : values()) {
      if (setting.key.equals(key)) {
        return setting;
      }
    }
    throw new ProxyConfigException(
        key, "unknown parameter (known: " + String.join(", ", KEYS) + ")");
  }

  /** The init-param name, which is also the builder method's. */
  String key() {
    return key;
  }

  /**
   * Parses {@code text} (placeholders already resolved) into {@code builder}.
   *
   * @throws ProxyConfigException naming this key; a parser's reason is followed by the text, which
   *     is safe to show because no proxy key holds a secret
   */
  void apply(ProxyConfigBuilder builder, String text) {
    try {
      setter.accept(builder, text);
    } catch (ProxyConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
      throw new ProxyConfigException(key, e.getMessage() + " ('" + shown + "')");
    }
  }

  /**
   * An absolute http(s) URL, as for any URL setting, that is also usable as a base to append to.
   */
  private static URI targetUri(String text) {
    URI uri = SettingParsers.httpUri(text);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must not have user info, a query or a fragment");
    }
    return uri;
  }
}
