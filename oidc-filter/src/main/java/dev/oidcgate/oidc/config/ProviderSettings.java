package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.settings.SettingParsers;
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
  public static final OidcSetting<IssuerLocation> ISSUER =
      OidcSetting.define(
          "issuer",
          null,
          "The issuer URL, or its `/.well-known/openid-configuration` URL. Required.",
          IssuerLocation::parse);
  public static final OidcSetting<Duration> DISCOVERY_REFRESH_INTERVAL =
      OidcSetting.define(
          "discoveryRefreshInterval",
          "1h",
          "How often the provider metadata is read again; a failed read keeps the last good one.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> DISCOVERY_RETRY_MAX_INTERVAL =
      OidcSetting.define(
          "discoveryRetryMaxInterval",
          "60s",
          "While the provider is unreachable, discovery is retried with backoff from 1s up to this"
              + " interval.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> JWKS_REFRESH_INTERVAL =
      OidcSetting.define(
          "jwksRefreshInterval",
          "1h",
          "How often the signing keys are read again in the background; a failed read keeps the"
              + " last good keys.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> JWKS_MIN_REFRESH_INTERVAL =
      OidcSetting.define(
          "jwksMinRefreshInterval",
          "30s",
          "An unknown `kid` causes at most one key refetch per this interval, shared by all"
              + " requests.",
          SettingParsers::duration);

  public ProviderSettings {
    if (issuer == null) {
      throw new OidcConfigException(ISSUER.key(), "is required");
    }
    Objects.requireNonNull(discoveryRefreshInterval);
    Objects.requireNonNull(discoveryRetryMaxInterval);
    Objects.requireNonNull(jwksRefreshInterval);
    Objects.requireNonNull(jwksMinRefreshInterval);
  }

  static ProviderSettings from(SettingValues v) {
    return new ProviderSettings(
        v.get(ISSUER),
        v.get(DISCOVERY_REFRESH_INTERVAL),
        v.get(DISCOVERY_RETRY_MAX_INTERVAL),
        v.get(JWKS_REFRESH_INTERVAL),
        v.get(JWKS_MIN_REFRESH_INTERVAL));
  }
}
