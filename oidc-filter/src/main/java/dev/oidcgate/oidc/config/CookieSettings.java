package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.util.Objects;
import java.util.Optional;

/**
 * The attributes of the cookies the filter sets (the session's and each login's).
 *
 * @param path empty for the context path, so one session serves the whole app
 * @param domain empty for a host-only cookie
 * @param maxChunks the most cookies one cookie session may be split into
 * @param hostPrefix when the cookies' names carry the {@code __Host-} prefix
 */
public record CookieSettings(
    String name,
    Optional<String> path,
    Optional<String> domain,
    SameSite sameSite,
    CookieSecure secure,
    boolean httpOnly,
    int maxChunks,
    CookieHostPrefix hostPrefix) {
  public static final OidcSetting<String> SESSION_COOKIE_NAME =
      OidcSetting.define(
          "sessionCookieName",
          "oidc_session",
          "The session cookie's name (large cookie sessions add `.1`, `.2`, ...).",
          SettingTypes::cookieName);
  public static final OidcSetting<String> SESSION_COOKIE_PATH =
      OidcSetting.define(
          "sessionCookiePath",
          null,
          "The cookie `Path`. Default: the context path, so one session serves the whole app.",
          String::trim);
  public static final OidcSetting<String> SESSION_COOKIE_DOMAIN =
      OidcSetting.define(
          "sessionCookieDomain",
          null,
          "The cookie `Domain`. Default: none (host-only).",
          String::trim);
  public static final OidcSetting<SameSite> SESSION_COOKIE_SAME_SITE =
      OidcSetting.define(
          "sessionCookieSameSite",
          "Lax",
          "The cookie `SameSite`: `Lax`, `Strict` or `None` (`None` needs HTTPS). Login cookies"
              + " are never stricter than `Lax`, or the IdP's redirect could not bring them back.",
          v -> SettingParsers.choice(v, SameSite.values(), SameSite::text));
  public static final OidcSetting<CookieSecure> SESSION_COOKIE_SECURE =
      OidcSetting.define(
          "sessionCookieSecure",
          "auto",
          "The cookie `Secure` flag: `auto` (when the request is HTTPS, or the public URL is:"
              + " `externalUrl`, else an absolute `redirectUri`), `true` or `false`.",
          v -> SettingParsers.choice(v, CookieSecure.values(), CookieSecure::text));
  public static final OidcSetting<Boolean> SESSION_COOKIE_HTTP_ONLY =
      OidcSetting.define(
          "sessionCookieHttpOnly",
          "true",
          "The cookie `HttpOnly` flag. Leave it on: the cookies hold tokens that no script should"
              + " read; `false` logs a warning.",
          SettingParsers::bool);
  public static final OidcSetting<Integer> SESSION_COOKIE_MAX_CHUNKS =
      OidcSetting.define(
          "sessionCookieMaxChunks",
          "3",
          "The most cookies one cookie session may be split into.",
          SettingParsers::positiveInt);

  public static final OidcSetting<CookieHostPrefix> SESSION_COOKIE_HOST_PREFIX =
      OidcSetting.define(
          "sessionCookieHostPrefix",
          "auto",
          "Name the session and login cookies `__Host-...`, which no other host (a sibling"
              + " subdomain) can set: `auto` where valid (the cookie is `Secure` for the request, its"
              + " `Path` is `/`, no `Domain`), `true` always (cookies then always `Secure`, `Path=/`;"
              + " needs HTTPS and no `sessionCookieDomain`), or `false`.",
          v -> SettingParsers.choice(v, CookieHostPrefix.values(), CookieHostPrefix::text));

  public CookieSettings {
    Objects.requireNonNull(name);
    if (name.regionMatches(true, 0, "__Host-", 0, 7)
        || name.regionMatches(true, 0, "__Secure-", 0, 9)) {
      throw new OidcConfigException(
          SESSION_COOKIE_NAME.key(),
          "write the name without a __Host- or __Secure- prefix; sessionCookieHostPrefix adds"
              + " __Host- where it is valid");
    }
    Objects.requireNonNull(path);
    Objects.requireNonNull(domain);
    Objects.requireNonNull(sameSite);
    Objects.requireNonNull(secure);
    if (sameSite == SameSite.NONE && secure == CookieSecure.NEVER) {
      throw new OidcConfigException(
          SESSION_COOKIE_SAME_SITE.key(),
          "None needs Secure cookies; sessionCookieSecure must not be false");
    }
    Objects.requireNonNull(hostPrefix);
    if (hostPrefix == CookieHostPrefix.ALWAYS) {
      String why = null;
      if (domain.isPresent()) {
        why = "true needs no sessionCookieDomain: __Host- cookies are host-only";
      } else if (path.isPresent() && !path.get().equals("/")) {
        why = "true needs sessionCookiePath unset or /";
      } else if (secure == CookieSecure.NEVER) {
        why = "true needs Secure cookies; sessionCookieSecure must not be false";
      }
      if (why != null) {
        throw new OidcConfigException(SESSION_COOKIE_HOST_PREFIX.key(), why);
      }
    }
  }

  static CookieSettings from(SettingValues v) {
    return new CookieSettings(
        v.get(SESSION_COOKIE_NAME),
        v.optional(SESSION_COOKIE_PATH).filter(p -> !p.isEmpty()),
        v.optional(SESSION_COOKIE_DOMAIN).filter(d -> !d.isEmpty()),
        v.get(SESSION_COOKIE_SAME_SITE),
        v.get(SESSION_COOKIE_SECURE),
        v.get(SESSION_COOKIE_HTTP_ONLY),
        v.get(SESSION_COOKIE_MAX_CHUNKS),
        v.get(SESSION_COOKIE_HOST_PREFIX));
  }
}
