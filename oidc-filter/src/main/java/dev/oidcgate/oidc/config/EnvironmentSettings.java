package dev.oidcgate.oidc.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Fills the settings a filter was not given from environment variables named by {@code
 * environmentPrefix} (see {@link SourceSettings}). Values are taken literally: no placeholders are
 * resolved in them, as a shell would not either.
 */
final class EnvironmentSettings {

  private EnvironmentSettings() {}

  /**
   * The variable a key is read from: {@code OIDC_} and {@code groupsClaim} give {@code
   * OIDC_GROUPS_CLAIM}.
   */
  static String variable(String prefix, String key) {
    StringBuilder out = new StringBuilder(prefix);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        out.append('_');
      }
      out.append(c);
    }
    return prefix + out.substring(prefix.length()).toUpperCase(Locale.ROOT);
  }

  /**
   * Reads every setting not given (except the prefix itself) from the environment; a setting given
   * blank keeps its default.
   *
   * @return the variable each key was read from, in the order of {@link OidcSetting#values()}
   * @throws OidcConfigException naming the key and the variable when a value is malformed (a
   *     secret's value is never quoted)
   */
  static Map<String, String> fill(SettingValues values, String prefix, UnaryOperator<String> env) {
    Map<String, String> read = new LinkedHashMap<>();
    for (OidcSetting<?> setting : OidcSetting.values()) {
      if (setting == SourceSettings.ENVIRONMENT_PREFIX || values.isGiven(setting)) {
        continue;
      }
      String name = variable(prefix, setting.key());
      String text = env.apply(name);
      if (text != null && !text.isBlank()) {
        put(values, setting, name, text.trim());
        read.put(setting.key(), name);
      }
    }
    return read;
  }

  /** The same error, naming the variable too when the key at fault came from one. */
  static OidcConfigException naming(OidcConfigException e, Map<String, String> read) {
    String variable = read.get(e.key());
    return variable == null
        ? e
        : new OidcConfigException(
            e.key(), e.reason() + " (from environment variable " + variable + ")");
  }

  private static <T> void put(
      SettingValues values, OidcSetting<T> setting, String name, String text) {
    try {
      values.put(setting, setting.parse(text));
    } catch (OidcConfigException e) {
      throw new OidcConfigException(
          e.key(), e.reason() + " (from environment variable " + name + ")");
    }
  }
}
