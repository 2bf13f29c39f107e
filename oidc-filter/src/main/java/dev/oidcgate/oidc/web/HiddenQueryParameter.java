package dev.oidcgate.oidc.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The query parameter a bearer token may come in ({@code bearerTokenQueryParameter}), kept out of
 * what the app sees: a URL with a token in it lands in the app's and the upstream's access logs.
 * Immutable and thread-safe.
 */
final class HiddenQueryParameter {

  static final HiddenQueryParameter NONE = new HiddenQueryParameter(null);

  private final @Nullable String name;

  private HiddenQueryParameter(@Nullable String name) {
    this.name = name;
  }

  static HiddenQueryParameter of(Optional<String> name) {
    return name.map(HiddenQueryParameter::new).orElse(NONE);
  }

  /** Whether a parameter of this name is hidden. */
  boolean hides(String parameter) {
    return name != null && name.equals(parameter);
  }

  /**
   * The raw query string without the parameter, the other pairs as they came, in their order;
   * {@code null} when nothing is left.
   */
  @Nullable String without(@Nullable String query) {
    if (name == null || query == null) {
      return query;
    }
    StringJoiner kept = new StringJoiner("&");
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (!hides(decoded(eq < 0 ? pair : pair.substring(0, eq)))) {
        kept.add(pair);
      }
    }
    String out = kept.toString();
    return out.isEmpty() ? null : out;
  }

  private static String decoded(String key) {
    try {
      return URLDecoder.decode(key, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return key; // malformed: not the parameter's name as the filter reads it
    }
  }
}
