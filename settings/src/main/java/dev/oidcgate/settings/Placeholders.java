package dev.oidcgate.settings;

import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code ${env:NAME}} and {@code ${sys:NAME}} in configuration values, so secrets and
 * per-environment URLs can stay out of {@code web.xml}. A name is letters, digits, {@code _},
 * {@code .} and {@code -}; any other <code>${</code> is a malformed placeholder and an error, so a
 * typo never passes through as literal text. A placeholder may appear anywhere in a value and more
 * than once; a resolved value is not scanned again, and there is no escaping.
 *
 * <p>A placeholder whose variable is not set is an error naming both the key and the variable (a
 * quietly empty client secret would only fail later and less clearly), unless it names its fallback
 * after a second colon: {@code ${env:NAME:}} (empty, which both libraries read as "the key's
 * default") or {@code ${env:NAME:value}}. Not {@code :-} as in shells: Tomcat itself replaces
 * {@code ${x:-y}} in {@code web.xml} before a filter or servlet sees it.
 *
 * <p>Immutable; thread-safe if the two lookups are.
 */
public final class Placeholders {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{(env|sys):([A-Za-z0-9_.\\-]+)(:([^}]*))?}");

  private final UnaryOperator<String> env;
  private final UnaryOperator<String> sys;

  /**
   * @param env looks up an environment variable, returning {@code null} when it is unset
   * @param sys looks up a system property, returning {@code null} when it is unset
   */
  public Placeholders(UnaryOperator<String> env, UnaryOperator<String> sys) {
    this.env = Objects.requireNonNull(env, "env");
    this.sys = Objects.requireNonNull(sys, "sys");
  }

  /** The process environment and the JVM's system properties. */
  public static Placeholders fromSystem() {
    return new Placeholders(System::getenv, System::getProperty);
  }

  /**
   * @param key the configuration key the value belongs to, used only in error messages
   * @param value the raw value; {@code null} is returned as it is
   * @return the value with every placeholder replaced
   * @throws SettingException naming the key when a placeholder is malformed, and the key and the
   *     variable when a variable without fallback is not set
   */
  public @Nullable String resolve(String key, @Nullable String value) {
    if (value == null || !value.contains("${")) {
      return value;
    }
    if (PLACEHOLDER.matcher(value).replaceAll("").contains("${")) {
      throw new SettingException(key, "malformed placeholder; write ${env:NAME} or ${sys:NAME}");
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
        throw new SettingException(
            key, (isEnv ? "environment variable " : "system property ") + name + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }
}
