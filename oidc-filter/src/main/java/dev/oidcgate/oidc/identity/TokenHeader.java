package dev.oidcgate.oidc.identity;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the access token goes for the app and the upstream: a header name and an optional scheme,
 * written {@code Name} or {@code Name:Bearer} (as Kong's {@code upstream_access_token_header}), or
 * {@code none}.
 *
 * @param name the header name, or {@code null} for none
 * @param scheme the scheme put before the token ({@code Bearer}), or {@code null} for the bare
 *     token
 */
public record TokenHeader(@Nullable String name, @Nullable String scheme) {

  public static final TokenHeader NONE = new TokenHeader(null, null);

  /**
   * @throws IllegalArgumentException when the name is not a valid header name
   */
  public static TokenHeader parse(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.toLowerCase(Locale.ROOT).equals("none")) {
      return NONE;
    }
    int colon = t.indexOf(':');
    String name = colon < 0 ? t : t.substring(0, colon).trim();
    String scheme = colon < 0 ? null : t.substring(colon + 1).trim();
    HeaderNames.requireToken(name);
    if (scheme != null) {
      scheme =
          scheme.isEmpty() ? null : Character.toUpperCase(scheme.charAt(0)) + scheme.substring(1);
      if (scheme != null) {
        HeaderNames.requireToken(scheme);
      }
    }
    return new TokenHeader(name, scheme);
  }

  public Optional<String> headerName() {
    return Optional.ofNullable(name);
  }

  /** The header value for {@code token}. */
  public String value(String token) {
    return scheme == null ? token : scheme + " " + token;
  }
}
