package dev.oidcgate.oidc.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The values a builder collected, each typed by its {@link OidcSetting}: set explicitly, or else
 * the setting's default. The concern records read themselves from it. Not thread-safe; used while
 * building only.
 */
final class SettingValues {

  private final Map<OidcSetting<?>, Object> explicit = new HashMap<>();
  private final Map<OidcSetting<?>, Object> profileDefaults = new HashMap<>();
  private final Set<OidcSetting<?>> givenBlank = new HashSet<>();

  /** An independent copy, so one builder can build more than once. */
  SettingValues copy() {
    SettingValues out = new SettingValues();
    out.putAll(this);
    return out;
  }

  /** Adds every explicit value of {@code other}, and the settings it was given blank. */
  void putAll(SettingValues other) {
    explicit.putAll(other.explicit);
    givenBlank.addAll(other.givenBlank);
  }

  /**
   * Records a setting given blank (an init-param empty once its placeholders are resolved): it
   * keeps its default, and the environment does not fill it.
   */
  void putBlank(OidcSetting<?> setting) {
    givenBlank.add(setting);
  }

  /** Whether the setting was given at all: a value, or blank for its default. */
  boolean isGiven(OidcSetting<?> setting) {
    return explicit.containsKey(setting) || givenBlank.contains(setting);
  }

  <T> void put(OidcSetting<T> setting, T value) {
    explicit.put(setting, value);
  }

  boolean isExplicit(OidcSetting<?> setting) {
    return explicit.containsKey(setting);
  }

  /** Defaults of a provider profile, used where no value is explicit, before the generic ones. */
  void putProfileDefaults(Map<OidcSetting<?>, String> defaults) {
    for (Map.Entry<OidcSetting<?>, String> d : defaults.entrySet()) {
      profileDefaults.put(d.getKey(), d.getKey().parse(d.getValue()));
    }
  }

  /** The value, else the profile's default, else the parsed default; {@code null} when none. */
  // Typed non-null for the settings with a default; the few without (issuer, *Required) are
  // null-checked where they are read: the ProviderSettings constructor, applyProfile, required().
  @SuppressWarnings("NullAway")
  <T> T get(OidcSetting<T> setting) {
    for (Map<OidcSetting<?>, Object> layer : List.of(explicit, profileDefaults)) {
      if (layer.containsKey(setting)) {
        @SuppressWarnings("unchecked") // put() keeps each value typed by its setting
        T value = (T) layer.get(setting);
        return value;
      }
    }
    return setting.defaultValue() == null ? null : setting.parse(setting.defaultValue());
  }

  <T> Optional<T> optional(OidcSetting<T> setting) {
    return Optional.ofNullable(get(setting));
  }
}
