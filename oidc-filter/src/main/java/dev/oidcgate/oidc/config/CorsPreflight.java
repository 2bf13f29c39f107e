package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.util.Locale;

/**
 * What the filter does with a CORS preflight ({@code OPTIONS} with {@code Origin} and {@code
 * Access-Control-Request-Method}), which browsers send without cookies or tokens.
 */
public enum CorsPreflight {
  /** The filter answers it from {@code corsOrigins}; the app never sees it. */
  ANSWER,
  /** It goes to the app without a credential (and without {@code Authorization}). */
  PASS,
  /** No special case: it needs a credential like any request. */
  OFF;

  /** The value as written in configuration. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * One of the values; the booleans of earlier versions still read: {@code true} (the old default)
   * as {@link #ANSWER}, so that a preflight reaches the app only when {@code pass} says so, and
   * {@code false} as {@link #OFF}.
   */
  static CorsPreflight parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return ANSWER;
    }
    if (t.equals("false")) {
      return OFF;
    }
    return SettingParsers.choice(t, values(), CorsPreflight::text);
  }
}
