package dev.oidcgate.oidc.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where settings come from besides {@code web.xml} and code: the environment, for container
 * platforms that configure an app by environment variables only.
 *
 * @param environmentPrefix when present, a setting given neither as an init-param nor in code is
 *     read from the environment variable of this prefix and the key in upper snake case; empty to
 *     read the environment only through {@code ${env:NAME}} placeholders
 * @param fromEnvironment the keys that were read so (never their values), for the start-up log
 * @param rebuild builds the same settings again with some changed (by the given step on a copy of
 *     the builder): {@code provider} when the discovery document names it, {@code issuer} for each
 *     of {@code additionalIssuers}
 */
public record SourceSettings(
    Optional<String> environmentPrefix,
    List<String> fromEnvironment,
    Function<Consumer<OidcConfigBuilder>, OidcConfig> rebuild) {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public static final OidcSetting<String> ENVIRONMENT_PREFIX =
      OidcSetting.define(
          "environmentPrefix",
          null,
          "When set, a setting not given here is read from the environment variable named this"
              + " prefix plus its key in upper snake case: with `OIDC_`, `groupsClaim` from"
              + " `OIDC_GROUPS_CLAIM`. An init-param or builder value wins over the variable; an"
              + " init-param given blank means the default. The keys read so are logged at"
              + " start-up (never their values).",
          SourceSettings::prefix);

  public SourceSettings {
    Objects.requireNonNull(environmentPrefix);
    fromEnvironment = List.copyOf(fromEnvironment);
    Objects.requireNonNull(rebuild);
  }

  private static String prefix(String text) {
    String p = text.trim();
    if (!PREFIX.matcher(p).matches()) {
      throw new IllegalArgumentException(
          "write letters, digits and _ as in an environment variable name, e.g. OIDC_");
    }
    return p;
  }
}
