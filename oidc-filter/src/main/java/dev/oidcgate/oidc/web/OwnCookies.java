package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.login.LoginTransactions;
import java.util.StringJoiner;

/**
 * Knows the filter's own cookie names (the session cookie and its chunks, the login cookies, each
 * with or without the {@code __Host-} prefix), so they can be hidden from the app and from an
 * upstream behind a proxy. Immutable.
 */
public final class OwnCookies {

  private final String sessionCookieName;

  public OwnCookies(String sessionCookieName) {
    this.sessionCookieName = sessionCookieName;
  }

  public boolean isOwn(String cookieName) {
    // A __Host- name is ours when its plain part is (any case: some browsers treat it so).
    String name =
        cookieName.regionMatches(true, 0, ServletSessionCookies.HOST_PREFIX, 0, 7)
            ? cookieName.substring(ServletSessionCookies.HOST_PREFIX.length())
            : cookieName;
    return name.equals(sessionCookieName)
        || name.startsWith(sessionCookieName + ".")
        || name.startsWith(LoginTransactions.COOKIE_PREFIX);
  }

  /**
   * A {@code Cookie} header value with the filter's own cookies left out (RFC 6265 §4.2.1 syntax).
   */
  String without(String header) {
    StringJoiner kept = new StringJoiner("; ");
    for (String pair : header.split(";")) {
      String trimmed = pair.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String name = eq < 0 ? trimmed : trimmed.substring(0, eq).trim();
      if (!isOwn(name)) {
        kept.add(trimmed);
      }
    }
    return kept.toString();
  }
}
