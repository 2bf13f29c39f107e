package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.Placeholders;
import dev.oidcgate.settings.SettingException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Reads filter init-params (or any key/value source) into an {@link OidcConfigBuilder}: each key
 * must be one of {@link OidcSetting}, placeholders are resolved, and a value blank once resolved
 * means the default (never a value from the environment that {@code environmentPrefix} names: a key
 * written in {@code web.xml} is that filter's own).
 */
final class InitParams {

  private InitParams() {}

  /**
   * @param env looks up the environment variables {@code environmentPrefix} names ({@code null}
   *     when unset); placeholders have their own lookup
   * @throws OidcConfigException naming the first key that is unknown, malformed or missing
   */
  static OidcConfig read(
      Map<String, String> params, Placeholders placeholders, UnaryOperator<String> env) {
    OidcConfigBuilder builder = OidcConfig.builder().environment(env);
    for (Map.Entry<String, String> e : params.entrySet()) {
      OidcSetting<?> setting = known(e.getKey());
      String value = resolve(placeholders, e.getKey(), e.getValue());
      if (value != null && !value.isBlank()) {
        builder.parseInto(setting, value.trim());
      } else {
        builder.blank(setting);
      }
    }
    return builder.build();
  }

  /**
   * @throws OidcConfigException if {@code key} is not one of {@link OidcSetting}
   */
  static OidcSetting<?> known(String key) {
    OidcSetting<?> setting = OidcSetting.forKey(key);
    if (setting == null) {
      throw new OidcConfigException(
          key, "unknown parameter; see docs/configuration.md for the keys");
    }
    return setting;
  }

  private static @Nullable String resolve(
      Placeholders placeholders, String key, @Nullable String value) {
    try {
      return placeholders.resolve(key, value);
    } catch (SettingException e) {
      throw new OidcConfigException(e.key(), e.reason());
    }
  }
}
