package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
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
  public static final OidcSetting<SessionStoreKind> SESSION_STORE =
      OidcSetting.define(
          "sessionStore",
          "cookie",
          "Where sessions live: `cookie` (encrypted, no server state), `memory` (this JVM),"
              + " `container` (the servlet container's `HttpSession`) or `redis` (`redisUri`,"
              + " shared by every node).",
          v -> SettingParsers.choice(v, SessionStoreKind.values(), SessionStoreKind::text));
  public static final OidcSetting<List<String>> SESSION_SECRET =
      OidcSetting.secret(
          "sessionSecret",
          "Secret(s) the session and login cookies are encrypted with, at least 32 characters;"
              + " comma-separated for rotation (the first encrypts). Unset: a random key, sessions"
              + " end at restart.",
          SettingParsers::list);
  public static final OidcSetting<Duration> SESSION_IDLE_TIMEOUT =
      OidcSetting.define(
          "sessionIdleTimeout",
          "30m",
          "A session unused this long ends.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> SESSION_MAX_LIFETIME =
      OidcSetting.define(
          "sessionMaxLifetime",
          "8h",
          "A session ends this long after login, however busy.",
          SettingParsers::duration);
  public static final OidcSetting<Integer> SESSION_MAX_ENTRIES =
      OidcSetting.define(
          "sessionMaxEntries",
          "10000",
          "The most sessions `sessionStore=memory` keeps.",
          SettingParsers::positiveInt);

  public SessionSettings {
    Objects.requireNonNull(store);
    secrets = List.copyOf(secrets);
    for (String secret : secrets) {
      if (secret.length() < 32) {
        throw new OidcConfigException(
            SESSION_SECRET.key(), "each secret must be at least 32 characters");
      }
    }
    if (idleTimeout.compareTo(maxLifetime) > 0) {
      throw new OidcConfigException(
          SESSION_IDLE_TIMEOUT.key(), "must not exceed sessionMaxLifetime");
    }
  }

  static SessionSettings from(SettingValues v) {
    return new SessionSettings(
        v.get(SESSION_STORE),
        v.optional(SESSION_SECRET).orElse(List.of()),
        v.get(SESSION_IDLE_TIMEOUT),
        v.get(SESSION_MAX_LIFETIME),
        v.get(SESSION_MAX_ENTRIES));
  }
}
