package dev.oidcgate.oidc.config;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What scripts and single-page apps get: a JSON answer about the session, a URL that starts a
 * login, and which other origins may read those answers (and the 401 a script gets) through CORS.
 *
 * @param sessionInfoPath as configured (under the context); empty for the default under the
 *     filter's mapping; {@code none} turns it off
 * @param loginPath as configured (under the context); empty for the default under the filter's
 *     mapping
 * @param corsOrigins origins (as browsers send them in {@code Origin}) allowed to read the JSON
 *     answers with credentials, and whose preflights the filter allows
 */
public record ScriptSettings(
    Optional<String> sessionInfoPath, Optional<String> loginPath, Set<String> corsOrigins) {
  public static final OidcSetting<String> SESSION_INFO_PATH =
      OidcSetting.define(
          "sessionInfoPath",
          null,
          "The path (under the context) that answers JSON about the browser's session: whether"
              + " signed in, subject, issuer, expiry; never a token. `GET` reads it, `POST` is a"
              + " keep-alive that extends the idle timeout. Default: `session` under the filter's"
              + " first URL pattern; `none` for none.",
          ScriptSettings::path);
  public static final OidcSetting<String> LOGIN_PATH =
      OidcSetting.define(
          "loginPath",
          null,
          "The path (under the context) a browser is sent to by a script to log in; `?return=` a"
              + " same-origin path to come back to. With `issuerClients`, `<loginPath>/<name>` logs"
              + " in at that issuer (another name: 404). Default: `login` under the filter's first"
              + " URL pattern.",
          ScriptSettings::path);
  public static final OidcSetting<Set<String>> CORS_ORIGINS =
      OidcSetting.define(
          "corsOrigins",
          null,
          "Other origins (e.g. `https://spa.example.com`, comma-separated) whose scripts may read,"
              + " with credentials, the session info and the JSON 401 that carries the login URL,"
              + " and whose CORS preflights the filter allows (see `corsPreflight`).",
          ScriptSettings::origins);

  public ScriptSettings {
    Objects.requireNonNull(sessionInfoPath);
    Objects.requireNonNull(loginPath);
    corsOrigins = Set.copyOf(corsOrigins);
  }

  static ScriptSettings from(SettingValues v) {
    return new ScriptSettings(
        v.optional(SESSION_INFO_PATH),
        v.optional(LOGIN_PATH),
        v.optional(CORS_ORIGINS).orElse(Set.of()));
  }

  /** Whether the session info path is turned off. */
  public boolean sessionInfoOff() {
    return sessionInfoPath.filter(p -> p.equals("none")).isPresent();
  }

  private static String path(String text) {
    String t = text.trim();
    if (!t.equals("none") && (!t.startsWith("/") || t.chars().anyMatch(c -> c <= ' '))) {
      throw new IllegalArgumentException("write a path starting with /");
    }
    return t;
  }

  private static Set<String> origins(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String o : dev.oidcgate.settings.SettingParsers.list(text)) {
      URI uri = SettingTypes.baseUrl(o);
      if (!uri.getRawPath().isEmpty()) {
        throw new IllegalArgumentException(
            "an origin has no path: write e.g. https://spa.example.com");
      }
      out.add(withoutDefaultPort(uri));
    }
    return out;
  }

  private static String withoutDefaultPort(URI uri) {
    boolean defaultPort =
        uri.getPort() < 0
            || (uri.getScheme().equals("http") && uri.getPort() == 80)
            || (uri.getScheme().equals("https") && uri.getPort() == 443);
    return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + uri.getPort());
  }
}
