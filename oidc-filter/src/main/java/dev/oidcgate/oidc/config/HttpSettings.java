package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.time.Duration;
import java.util.Objects;

/**
 * How the filter talks HTTP to the identity provider.
 *
 * @param maxResponseSize the largest response body accepted, in bytes
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, int maxResponseSize) {
  public static final OidcSetting<Duration> HTTP_CONNECT_TIMEOUT =
      OidcSetting.define(
          "httpConnectTimeout",
          "5s",
          "Connect timeout for calls to the identity provider.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> HTTP_READ_TIMEOUT =
      OidcSetting.define(
          "httpReadTimeout",
          "5s",
          "Read timeout for calls to the identity provider. A whole call (connecting, sending,"
              + " reading the answer) is cut off after `httpConnectTimeout` + `httpReadTimeout`, so a"
              + " provider that answers one byte at a time cannot hold a request.",
          SettingParsers::duration);
  public static final OidcSetting<Integer> HTTP_MAX_RESPONSE_SIZE =
      OidcSetting.define(
          "httpMaxResponseSize",
          "1048576",
          "Largest response body, in bytes, accepted from the identity provider.",
          SettingParsers::positiveInt);

  public HttpSettings {
    Objects.requireNonNull(connectTimeout);
    Objects.requireNonNull(readTimeout);
  }

  static HttpSettings from(SettingValues v) {
    return new HttpSettings(
        v.get(HTTP_CONNECT_TIMEOUT), v.get(HTTP_READ_TIMEOUT), v.get(HTTP_MAX_RESPONSE_SIZE));
  }

  /** The longest one call may take: connecting plus reading. */
  public Duration callTimeout() {
    return connectTimeout.plus(readTimeout);
  }
}
