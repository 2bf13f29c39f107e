package dev.oidcgate.oidc.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the filter talks HTTP to the identity provider.
 *
 * @param maxResponseSize the largest response body accepted, in bytes
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, int maxResponseSize) {

  public HttpSettings {
    Objects.requireNonNull(connectTimeout);
    Objects.requireNonNull(readTimeout);
  }

  static HttpSettings from(SettingValues v) {
    return new HttpSettings(
        v.get(OidcSetting.HTTP_CONNECT_TIMEOUT),
        v.get(OidcSetting.HTTP_READ_TIMEOUT),
        v.get(OidcSetting.HTTP_MAX_RESPONSE_SIZE));
  }

  /** The longest one call may take: connecting plus reading. */
  public Duration callTimeout() {
    return connectTimeout.plus(readTimeout);
  }
}
