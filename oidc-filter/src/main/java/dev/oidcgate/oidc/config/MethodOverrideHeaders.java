package dev.oidcgate.oidc.config;

import java.util.List;
import java.util.Locale;

/**
 * What the filter does with the headers by which a request claims another method than its own
 * ({@code X-HTTP-Method-Override: DELETE} on a {@code POST}), which many frameworks honour (Rack's
 * MethodOverride under Rails, Symfony and Laravel, Express's method-override, ASP.NET Core): a rule
 * checked against the literal method alone would be passed by a {@code POST} the app then runs as a
 * {@code DELETE}.
 */
public enum MethodOverrideHeaders {
  /** Removed from the request before the app or an upstream sees it; rules see the real method. */
  STRIP,
  /** Passed on; a path rule is matched against the overriding method too, and both must pass. */
  ALLOW;

  /** The override headers frameworks read (with {@code _} for {@code -} too, by CGI rules). */
  public static final List<String> NAMES =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  /** The value as written in configuration. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
