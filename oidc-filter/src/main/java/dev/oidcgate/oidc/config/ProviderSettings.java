package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.settings.SettingParsers;
import java.time.Duration;
import java.util.Objects;

/**
 * Which identity provider, and how often its metadata and keys are read again.
 *
 * @param issuer the issuer and where its discovery document is
 * @param jwksMinRefreshInterval one key fetch is earned per this interval (the refill of a token
 *     bucket of {@code jwksRefetchBurst}); the key is kept from when it was a fixed window
 * @param jwksRetryMaxInterval the longest pause between key fetches while the endpoint fails
 */
public record ProviderSettings(
    IssuerLocation issuer,
    Duration discoveryRefreshInterval,
    Duration discoveryRetryMaxInterval,
    Duration jwksRefreshInterval,
    Duration jwksMinRefreshInterval,
    int jwksRefetchBurst,
    Duration jwksRetryMaxInterval) {
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
          "10s",
          "Key fetches (for an unknown `kid`, or the periodic refresh) earn one permit per this"
              + " interval, up to `jwksRefetchBurst`; one fetch is shared by all requests waiting"
              + " for it.",
          SettingParsers::duration);
  public static final OidcSetting<Integer> JWKS_REFETCH_BURST =
      OidcSetting.define(
          "jwksRefetchBurst",
          "5",
          "How many key fetches may follow one another at once, so a key rotated just after a"
              + " fetch is found at once.",
          SettingParsers::positiveInt);
  public static final OidcSetting<Duration> JWKS_RETRY_MAX_INTERVAL =
      OidcSetting.define(
          "jwksRetryMaxInterval",
          "60s",
          "While the key endpoint fails, fetches pause with backoff from 1s up to this interval;"
              + " meanwhile an unknown `kid` is refused at once.",
          SettingParsers::duration);

  public ProviderSettings {
    if (issuer == null) {
      throw new OidcConfigException(ISSUER.key(), "is required");
    }
    Objects.requireNonNull(discoveryRefreshInterval);
    Objects.requireNonNull(discoveryRetryMaxInterval);
    Objects.requireNonNull(jwksRefreshInterval);
    if (jwksMinRefreshInterval.isZero()) {
      throw new OidcConfigException(JWKS_MIN_REFRESH_INTERVAL.key(), "must be more than 0");
    }
    Objects.requireNonNull(jwksRetryMaxInterval);
  }

  static ProviderSettings from(SettingValues v) {
    return new ProviderSettings(
        v.get(ISSUER),
        v.get(DISCOVERY_REFRESH_INTERVAL),
        v.get(DISCOVERY_RETRY_MAX_INTERVAL),
        v.get(JWKS_REFRESH_INTERVAL),
        v.get(JWKS_MIN_REFRESH_INTERVAL),
        v.get(JWKS_REFETCH_BURST),
        v.get(JWKS_RETRY_MAX_INTERVAL));
  }
}
