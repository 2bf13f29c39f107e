package dev.oidcgate.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The value grammar both libraries read settings with. Each parser takes the text after placeholder
 * resolution and throws {@link IllegalArgumentException} whose message is the reason only (what is
 * wrong and how to write it); the caller adds the key, and decides whether to quote the value. All
 * methods are static, stateless and thread-safe; none accepts {@code null}.
 */
public final class SettingParsers {

  private SettingParsers() {}

  /**
   * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} (a whole number and a unit,
   * case-insensitive, no space between) or ISO-8601 such as {@code PT30S}. Surrounding whitespace
   * is ignored; a negative duration is refused, zero is allowed (a key may refuse it).
   */
  public static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return nonNegative(Duration.parse(t.toUpperCase(Locale.ROOT)));
      }
      if (t.endsWith("ms")) {
        return nonNegative(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
      }
      long amount = Long.parseLong(t.substring(0, t.length() - 1));
      switch (t.charAt(t.length() - 1)) {
        case 's':
          return nonNegative(Duration.ofSeconds(amount));
        case 'm':
          return nonNegative(Duration.ofMinutes(amount));
        case 'h':
          return nonNegative(Duration.ofHours(amount));
        case 'd':
          return nonNegative(Duration.ofDays(amount));
        default:
          break;
      }
    } catch (NumberFormatException
        | DateTimeParseException
        | ArithmeticException // more days or hours than a Duration holds
        | StringIndexOutOfBoundsException e) {
      // fall through to the one message below
    }
    throw new IllegalArgumentException("not a duration; write e.g. 500ms, 30s, 5m, 1h or PT30S");
  }

  private static Duration nonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("must not be negative");
    }
    return d;
  }

  /** A whole number of at least 1 that fits an {@code int}; surrounding whitespace is ignored. */
  public static int positiveInt(String text) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("not a positive whole number");
  }

  /** {@code true} or {@code false}, case-insensitive; nothing else ({@code yes}, {@code 1}). */
  public static boolean bool(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    throw new IllegalArgumentException("write true or false");
  }

  /** An absolute {@code http} or {@code https} URL with a host; the scheme is case-insensitive. */
  public static URI httpUri(String text) {
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // fall through
    }
    throw new IllegalArgumentException("not an absolute http(s) URL");
  }

  /**
   * Entries separated by commas or line breaks, each trimmed; blank entries are dropped, so the
   * result may be empty. Never fails.
   *
   * @return an unmodifiable list
   */
  public static List<String> list(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split("[,\\n\\r]")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Words separated by whitespace (line breaks included) or commas; the result may be empty. Never
   * fails.
   *
   * @return an unmodifiable list
   */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split("[,\\s]+")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return List.copyOf(out);
  }

  /**
   * One of {@code choices}, matched case-insensitively against each one's text.
   *
   * @param text how a choice is written in configuration
   */
  public static <E> E choice(String value, E[] choices, Function<E, String> text) {
    List<String> names = new ArrayList<>();
    for (E c : choices) {
      if (text.apply(c).equalsIgnoreCase(value.trim())) {
        return c;
      }
      names.add(text.apply(c));
    }
    throw new IllegalArgumentException("write one of " + String.join(", ", names));
  }

  /**
   * A new instance of the named class, created with its public no-argument constructor. The class
   * is loaded by the thread's context class loader (the web app's, in a container), else by the one
   * that loaded {@code type}; it is initialized only once it is known to implement {@code type}.
   */
  public static <T> T instanceOf(String className, Class<T> type) {
    try {
      Class<?> c = Class.forName(className.trim(), false, loaderFor(type));
      if (!type.isAssignableFrom(c)) {
        throw new IllegalArgumentException("does not implement " + type.getName());
      }
      return type.cast(c.getConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(
          "cannot create an instance ("
              + e.getClass().getSimpleName()
              + "); name a class with a public no-argument constructor");
    }
  }

  private static ClassLoader loaderFor(Class<?> type) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      return context;
    }
    return type.getClassLoader() != null
        ? type.getClassLoader()
        : SettingParsers.class.getClassLoader();
  }
}
