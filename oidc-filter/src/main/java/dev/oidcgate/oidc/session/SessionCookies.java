package dev.oidcgate.oidc.session;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The browser's cookies as session stores and the login flow see them, without servlet types. The
 * servlet edge decides the attributes ({@code Path}, {@code Domain}, {@code Secure},
 * {@code HttpOnly}, {@code SameSite}) from the configuration. Not thread-safe: one per request.
 */
public interface SessionCookies {

  Optional<String> get(String name);

  /** Every cookie whose name starts with {@code prefix}, by name. */
  Map<String, String> startingWith(String prefix);

  /**
   * @param maxAge how long the browser keeps it; {@code null} for a browser-session cookie
   * @param crossSite whether it must be sent on a cross-site POST ({@code SameSite=None}, as
   *     {@code form_post} needs); otherwise the configured {@code SameSite} applies
   */
  void set(String name, String value, Duration maxAge, boolean crossSite);

  void clear(String name);
}
