package dev.oidcgate.oidc.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values a builder collected, each typed by its {@link OidcSetting}: set explicitly, or else
 * the setting's default. The concern records read themselves from it. Not thread-safe; used while
 * building only.
 */
final class SettingValues {

  private final Map<OidcSetting<?>, Object> explicit = new HashMap<>();

  /** An independent copy, so one builder can build more than once. */
  SettingValues copy() {
    SettingValues out = new SettingValues();
    out.explicit.putAll(explicit);
    return out;
  }

  <T> void put(OidcSetting<T> setting, T value) {
    explicit.put(setting, value);
  }

  boolean isExplicit(OidcSetting<?> setting) {
    return explicit.containsKey(setting);
  }

  /** The value, or the parsed default; {@code null} when neither exists. */
  <T> T get(OidcSetting<T> setting) {
    if (explicit.containsKey(setting)) {
      @SuppressWarnings("unchecked") // put() keeps each value typed by its setting
      T value = (T) explicit.get(setting);
      return value;
    }
    return setting.defaultValue() == null ? null : setting.parse(setting.defaultValue());
  }

  <T> Optional<T> optional(OidcSetting<T> setting) {
    return Optional.ofNullable(get(setting));
  }
}
