package dev.oidcgate.oidc.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the text of configuration values. Each method throws {@link IllegalArgumentException} with
 * a description of the expected form; the caller adds the key.
 */
final class Values {

  private Values() {}

  /**
   * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601 such as {@code
   * PT30S}.
   */
  static Duration duration(String text) {
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
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
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

  static int positiveInt(String text) {
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

  static boolean bool(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    throw new IllegalArgumentException("write true or false");
  }

  static URI httpUri(String text) {
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
   * A public base URL: absolute http(s), with a host, no user info, query or fragment; a trailing
   * {@code /} is dropped, so {@code https://app.example.com/} gives {@code
   * https://app.example.com}.
   */
  static URI baseUrl(String text) {
    URI uri = httpUri(text);
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("write only scheme, host, port and path");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(
        uri.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + uri.getHost().toLowerCase(Locale.ROOT)
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + path);
  }

  /** One of the given words, matched case-insensitively; returns the canonical spelling. */
  static String oneOf(String text, String... choices) {
    for (String c : choices) {
      if (c.equalsIgnoreCase(text.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException("write one of " + String.join(", ", choices));
  }

  /**
   * One of {@code choices}, matched case-insensitively against each one's text.
   *
   * @param text how a choice is written in configuration
   */
  static <E> E choice(String value, E[] choices, java.util.function.Function<E, String> text) {
    List<String> names = new ArrayList<>();
    for (E c : choices) {
      if (text.apply(c).equalsIgnoreCase(value.trim())) {
        return c;
      }
      names.add(text.apply(c));
    }
    throw new IllegalArgumentException("write one of " + String.join(", ", names));
  }

  /** A URL query parameter name. */
  static String parameterName(String text) {
    String t = text.trim();
    if (!t.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("not a parameter name");
    }
    return t;
  }

  /** A cookie name (RFC 6265 token). */
  static String cookieName(String text) {
    String t = text.trim();
    if (t.isEmpty() || !t.matches("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+")) {
      throw new IllegalArgumentException("not a valid cookie name");
    }
    return t;
  }

  /** A new instance of the named class, loaded by the web app's class loader. */
  static <T> T instanceOf(String className, Class<T> type) {
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> c =
          Class.forName(
              className.trim(), true, loader == null ? Values.class.getClassLoader() : loader);
      if (!type.isAssignableFrom(c)) {
        throw new IllegalArgumentException("does not implement " + type.getName());
      }
      return type.cast(c.getConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(
          "cannot create an instance (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Entries separated by commas or line breaks; blank entries dropped. */
  static List<String> list(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split("[,\\n\\r]")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Words separated by commas, spaces or line breaks. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split("[,\\s]+")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return out;
  }
}
