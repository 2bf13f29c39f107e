package dev.oidcgate.oidc.config;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${sys:NAME}} in configuration values, so secrets can stay
 * out of {@code web.xml}. A placeholder whose variable is not set is an error naming both the key
 * and the variable (a quietly empty client secret would only fail later and less clearly), unless
 * it names its fallback after a second colon: {@code ${env:NAME:}} (empty: the key's default) or
 * {@code ${env:NAME:value}}. Not {@code :-} as in shells: Tomcat itself replaces {@code ${x:-y}} in
 * {@code web.xml} before the filter sees it.
 */
final class Placeholders {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{(env|sys):([A-Za-z0-9_.\\-]+)(:([^}]*))?}");

  private final UnaryOperator<String> env;
  private final UnaryOperator<String> sys;

  Placeholders(UnaryOperator<String> env, UnaryOperator<String> sys) {
    this.env = env;
    this.sys = sys;
  }

  static Placeholders fromSystem() {
    return new Placeholders(System::getenv, System::getProperty);
  }

  String resolve(String key, String value) {
    if (value == null || !value.contains("${")) {
      return value;
    }
    if (PLACEHOLDER.matcher(value).replaceAll("").contains("${")) {
      throw new OidcConfigException(key, "malformed placeholder; write ${env:NAME} or ${sys:NAME}");
    }
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      boolean isEnv = m.group(1).equals("env");
      String name = m.group(2);
      String resolved = isEnv ? env.apply(name) : sys.apply(name);
      if (resolved == null && m.group(3) != null) {
        resolved = m.group(4); // ${env:NAME:fallback}: an optional variable
      }
      if (resolved == null) {
        throw new OidcConfigException(
            key, (isEnv ? "environment variable " : "system property ") + name + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }
}
