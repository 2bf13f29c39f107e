package dev.oidcgate.oidc.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The attributes of the cookies the filter sets (the session's and each login's).
 *
 * @param path empty for the context path, so one session serves the whole app
 * @param domain empty for a host-only cookie
 * @param maxChunks the most cookies one cookie session may be split into
 */
public record CookieSettings(
    String name,
    Optional<String> path,
    Optional<String> domain,
    SameSite sameSite,
    CookieSecure secure,
    boolean httpOnly,
    int maxChunks) {

  public CookieSettings {
    Objects.requireNonNull(name);
    Objects.requireNonNull(path);
    Objects.requireNonNull(domain);
    Objects.requireNonNull(sameSite);
    Objects.requireNonNull(secure);
    if (sameSite == SameSite.NONE && secure == CookieSecure.NEVER) {
      throw new OidcConfigException(
          OidcSetting.SESSION_COOKIE_SAME_SITE.key(),
          "None needs Secure cookies; sessionCookieSecure must not be false");
    }
  }

  static CookieSettings from(SettingValues v) {
    return new CookieSettings(
        v.get(OidcSetting.SESSION_COOKIE_NAME),
        v.optional(OidcSetting.SESSION_COOKIE_PATH).filter(p -> !p.isEmpty()),
        v.optional(OidcSetting.SESSION_COOKIE_DOMAIN).filter(d -> !d.isEmpty()),
        v.get(OidcSetting.SESSION_COOKIE_SAME_SITE),
        v.get(OidcSetting.SESSION_COOKIE_SECURE),
        v.get(OidcSetting.SESSION_COOKIE_HTTP_ONLY),
        v.get(OidcSetting.SESSION_COOKIE_MAX_CHUNKS));
  }
}
