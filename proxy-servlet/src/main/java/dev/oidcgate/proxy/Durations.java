package dev.oidcgate.proxy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration syntax accepted by {@link ProxyConfig}: a whole number followed by {@code
 * ms}, {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 5s}, {@code 2m}), or an ISO-8601
 * duration ({@code PT5S}). Stateless and thread-safe.
 */
final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

  private Durations() {}

  /**
   * @param text the value as written in configuration, never {@code null}
   * @return the parsed duration
   * @throws IllegalArgumentException if the text is neither form; the message quotes the text
   */
  static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        default:
          return Duration.ofHours(amount);
      }
    }
    if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a duration (use e.g. 500ms, 5s, 2m, 1h or ISO-8601 PT5S)");
  }
}
