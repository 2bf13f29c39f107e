package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.events.EventListeners;
import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.settings.SettingParsers;

/**
 * Whether the filter's events are also counted as metrics.
 *
 * @param micrometer count them on Micrometer's global registry
 */
public record MetricsSettings(boolean micrometer) {
  public static final OidcSetting<Boolean> METRICS =
      OidcSetting.define(
          "metrics",
          "none",
          "`micrometer` counts logins, refreshes, refusals by reason, logouts, key fetches and"
              + " introspection calls, and times requests (see Metrics below), on Micrometer's global registry (`io.micrometer:micrometer-core` must be on the class path);"
              + " `none` for no metrics.",
          v ->
              SettingParsers.choice(v, new String[] {"none", "micrometer"}, s -> s)
                  .equals("micrometer"));

  static MetricsSettings from(SettingValues v) {
    return new MetricsSettings(v.get(METRICS));
  }

  /** {@code listener}, and the metrics listener besides when metrics are on. */
  OidcEventListener withMetrics(OidcEventListener listener) {
    if (!micrometer) {
      return listener;
    }
    try {
      return EventListeners.both(listener, dev.oidcgate.oidc.metrics.MicrometerListener.global());
    } catch (NoClassDefFoundError e) {
      throw new OidcConfigException(
          METRICS.key(), "micrometer needs io.micrometer:micrometer-core on the class path");
    }
  }
}
