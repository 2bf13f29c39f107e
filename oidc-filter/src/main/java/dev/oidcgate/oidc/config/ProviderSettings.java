package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.provider.IssuerLocation;
import java.time.Duration;
import java.util.Objects;

/**
 * Which identity provider, and how often its metadata and keys are read again.
 *
 * @param issuer the issuer and where its discovery document is
 */
public record ProviderSettings(
    IssuerLocation issuer,
    Duration discoveryRefreshInterval,
    Duration discoveryRetryMaxInterval,
    Duration jwksRefreshInterval,
    Duration jwksMinRefreshInterval) {

  public ProviderSettings {
    if (issuer == null) {
      throw new OidcConfigException(OidcSetting.ISSUER.key(), "is required");
    }
    Objects.requireNonNull(discoveryRefreshInterval);
    Objects.requireNonNull(discoveryRetryMaxInterval);
    Objects.requireNonNull(jwksRefreshInterval);
    Objects.requireNonNull(jwksMinRefreshInterval);
  }

  static ProviderSettings from(SettingValues v) {
    return new ProviderSettings(
        v.get(OidcSetting.ISSUER),
        v.get(OidcSetting.DISCOVERY_REFRESH_INTERVAL),
        v.get(OidcSetting.DISCOVERY_RETRY_MAX_INTERVAL),
        v.get(OidcSetting.JWKS_REFRESH_INTERVAL),
        v.get(OidcSetting.JWKS_MIN_REFRESH_INTERVAL));
  }
}
