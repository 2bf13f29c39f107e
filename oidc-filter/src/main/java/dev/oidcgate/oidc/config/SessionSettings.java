package dev.oidcgate.oidc.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where sessions live and how long they last.
 *
 * @param secrets the keys session and login cookies are sealed with, the first one sealing; empty
 *     for a random key (sessions end at restart). Never logged.
 * @param maxEntries the most sessions the memory store keeps
 */
public record SessionSettings(
    SessionStoreKind store,
    List<String> secrets,
    Duration idleTimeout,
    Duration maxLifetime,
    int maxEntries) {

  public SessionSettings {
    Objects.requireNonNull(store);
    secrets = List.copyOf(secrets);
    for (String secret : secrets) {
      if (secret.length() < 32) {
        throw new OidcConfigException(
            OidcSetting.SESSION_SECRET.key(), "each secret must be at least 32 characters");
      }
    }
    if (idleTimeout.compareTo(maxLifetime) > 0) {
      throw new OidcConfigException(
          OidcSetting.SESSION_IDLE_TIMEOUT.key(), "must not exceed sessionMaxLifetime");
    }
  }

  static SessionSettings from(SettingValues v) {
    return new SessionSettings(
        v.get(OidcSetting.SESSION_STORE),
        v.optional(OidcSetting.SESSION_SECRET).orElse(List.of()),
        v.get(OidcSetting.SESSION_IDLE_TIMEOUT),
        v.get(OidcSetting.SESSION_MAX_LIFETIME),
        v.get(OidcSetting.SESSION_MAX_ENTRIES));
  }
}
