package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What several app nodes share: the Redis they keep sessions and logout records in, and the OpenID
 * Connect Back-Channel Logout 1.0 endpoint that writes those records.
 *
 * @param redisUri Lettuce's URI syntax ({@code redis://}, {@code rediss://}, {@code
 *     redis-sentinel://}); empty for no Redis (records then live in this JVM). Never logged.
 * @param redisCluster whether {@code redisUri} names a node of a Redis Cluster
 * @param redisTimeout how long one Redis command may take before the request gets 503
 * @param backchannelLogoutPath as configured (under the context); empty for the default under the
 *     filter's mapping
 * @param logoutTokenMaxAge how old a logout token's {@code iat} may be; also how long its {@code
 *     jti} is remembered against replay
 * @param frontchannelLogoutPath where the IdP's logout page ends sessions (OpenID Connect
 *     Front-Channel Logout 1.0), under the context; empty: off
 */
public record ClusterSettings(
    Optional<String> redisUri,
    boolean redisCluster,
    Duration redisTimeout,
    Optional<String> backchannelLogoutPath,
    Duration logoutTokenMaxAge,
    Optional<String> frontchannelLogoutPath) {
  public static final OidcSetting<String> REDIS_URI =
      OidcSetting.secret(
          "redisUri",
          "Redis for sessions and logout records shared by every node, as Lettuce reads it:"
              + " `redis://host:6379/0`, `rediss://:password@host:6380` (TLS),"
              + " `redis-sentinel://host:26379/0#mymaster`. Needs `io.lettuce:lettuce-core` and"
              + " `sessionSecret`. Unset: logout records stay in this JVM.",
          String::trim);
  public static final OidcSetting<Boolean> REDIS_CLUSTER =
      OidcSetting.define(
          "redisCluster",
          "false",
          "Whether `redisUri` names a node of a Redis Cluster.",
          SettingParsers::bool);
  public static final OidcSetting<Duration> REDIS_TIMEOUT =
      OidcSetting.define(
          "redisTimeout",
          "2s",
          "How long one Redis command may take; then the request gets 503 with `Retry-After`.",
          SettingParsers::duration);
  public static final OidcSetting<String> BACKCHANNEL_LOGOUT_PATH =
      OidcSetting.define(
          "backchannelLogoutPath",
          null,
          "The path (under the context) where the IdP posts logout tokens (OpenID Connect"
              + " Back-Channel Logout 1.0). Default: `backchannel-logout` under the filter's first"
              + " URL pattern.",
          String::trim);
  public static final OidcSetting<Duration> LOGOUT_TOKEN_MAX_AGE =
      OidcSetting.define(
          "logoutTokenMaxAge",
          "5m",
          "A logout token issued longer ago than this (`iat`, plus `clockSkew`) is refused.",
          SettingParsers::duration);

  public static final OidcSetting<String> FRONTCHANNEL_LOGOUT_PATH =
      OidcSetting.define(
          "frontchannelLogoutPath",
          null,
          "The path (under the context) that the IdP's logout page loads in an iframe to end"
              + " sessions (OpenID Connect Front-Channel Logout 1.0), e.g."
              + " `/oidc-route/frontchannel-logout`: `GET ?iss=...&sid=...` ends that IdP session"
              + " on every node; without `sid`, the session of the browser that asks. Unset: off.",
          SettingTypes::frontchannelPath);

  public ClusterSettings {
    Objects.requireNonNull(redisUri);
    Objects.requireNonNull(redisTimeout);
    Objects.requireNonNull(backchannelLogoutPath);
    Objects.requireNonNull(logoutTokenMaxAge);
    Objects.requireNonNull(frontchannelLogoutPath);
    if (redisTimeout.isZero()) {
      throw new OidcConfigException(REDIS_TIMEOUT.key(), "must be more than 0");
    }
    if (redisCluster && redisUri.isEmpty()) {
      throw new OidcConfigException(REDIS_URI.key(), "is required when redisCluster=true");
    }
  }

  static ClusterSettings from(SettingValues v, SessionSettings session) {
    Optional<String> uri = v.optional(REDIS_URI).filter(u -> !u.isEmpty());
    if (session.store() == SessionStoreKind.REDIS && uri.isEmpty()) {
      throw new OidcConfigException(REDIS_URI.key(), "is required when sessionStore=redis");
    }
    if (uri.isPresent() && session.secrets().isEmpty()) {
      // Without one shared secret each node seals with its own random key: nothing it writes to
      // Redis could be read by another node.
      throw new OidcConfigException(
          SessionSettings.SESSION_SECRET.key(), "is required when redisUri is set");
    }
    return new ClusterSettings(
        uri,
        v.get(REDIS_CLUSTER),
        v.get(REDIS_TIMEOUT),
        v.optional(BACKCHANNEL_LOGOUT_PATH).filter(p -> !p.isEmpty()),
        v.get(LOGOUT_TOKEN_MAX_AGE),
        v.optional(FRONTCHANNEL_LOGOUT_PATH).filter(p -> !p.isEmpty()));
  }

  /** Whether nodes share state through Redis. */
  public boolean usesRedis() {
    return redisUri.isPresent();
  }
}
