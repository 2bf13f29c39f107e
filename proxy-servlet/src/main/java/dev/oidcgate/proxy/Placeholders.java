package dev.oidcgate.proxy;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${sys:NAME}} placeholders in configuration values, so
 * that secrets and per-environment URLs stay out of {@code web.xml}. A placeholder may appear
 * anywhere in a value and more than once; {@code ${env:NAME:fallback}} names the value to use when
 * the variable is unset (as the filter's placeholders do; not {@code :-}, which Tomcat replaces in
 * {@code web.xml}). There is no escaping, and a resolved value is not scanned again. Immutable and
 * thread-safe if the two lookups are.
 */
final class Placeholders {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{(env|sys):([^}:]*)(:([^}]*))?}");

  private final UnaryOperator<String> environment;
  private final UnaryOperator<String> systemProperties;

  /**
   * @param environment looks up an environment variable, returning {@code null} when unset
   * @param systemProperties looks up a system property, returning {@code null} when unset
   */
  Placeholders(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
    this.environment = environment;
    this.systemProperties = systemProperties;
  }

  /** The process environment and the JVM's system properties. */
  static Placeholders system() {
    return new Placeholders(System::getenv, System::getProperty);
  }

  /**
   * @param key the configuration key the value belongs to, used only in error messages
   * @param value the raw value, never {@code null}
   * @return the value with every placeholder replaced
   * @throws ProxyConfigException naming the key and the variable when a variable is not set
   */
  String resolve(String key, String value) {
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      boolean env = m.group(1).equals("env");
      String name = m.group(2);
      String resolved = env ? environment.apply(name) : systemProperties.apply(name);
      if (resolved == null && m.group(3) != null) {
        resolved = m.group(4);
      }
      if (resolved == null) {
        throw new ProxyConfigException(
            key, (env ? "environment variable " : "system property ") + name + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }
}
