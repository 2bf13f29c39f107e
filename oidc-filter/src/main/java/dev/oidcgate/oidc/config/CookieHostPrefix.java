package dev.oidcgate.oidc.config;

/**
 * When the filter's cookies are named with the {@code __Host-} prefix ({@code
 * sessionCookieHostPrefix}). Browsers accept such a cookie only with {@code Secure}, {@code Path=/}
 * and no {@code Domain}, so no other host (a sibling subdomain) can set one: a session or login
 * planted from there is never read.
 */
public enum CookieHostPrefix {
  /**
   * Where it is valid: the cookie is {@code Secure} for the request, its path {@code /}, no domain.
   */
  AUTO("auto"),
  /** Always; the cookies are then always {@code Secure} with {@code Path=/} (needs HTTPS). */
  ALWAYS("true"),
  NEVER("false");

  private final String text;

  CookieHostPrefix(String text) {
    this.text = text;
  }

  /** The value as written in configuration. */
  public String text() {
    return text;
  }
}
