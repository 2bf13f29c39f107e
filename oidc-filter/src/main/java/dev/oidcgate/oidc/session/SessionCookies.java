package dev.oidcgate.oidc.session;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The browser's cookies as session stores and the login flow see them, without servlet types. The
 * servlet edge decides the attributes ({@code Path}, {@code Domain}, {@code Secure}, {@code
 * HttpOnly}, {@code SameSite}) from the configuration. Not thread-safe: one per request.
 */
public interface SessionCookies {

  Optional<String> get(String name);

  /**
   * Every value the browser sent under {@code name}, in the order sent. Usually one; more when a
   * cookie with the same name was also set for another path or domain (cookie tossing), in which
   * case a store should try each rather than trust the first.
   */
  java.util.List<String> getAll(String name);

  /** Every cookie whose name starts with {@code prefix}, by name. */
  Map<String, String> startingWith(String prefix);

  /** Which cross-site requests must still carry a cookie; decides its {@code SameSite}. */
  enum Reach {
    /** As configured ({@code sessionCookieSameSite}). */
    CONFIGURED,
    /**
     * Also the top-level navigation back from the IdP ({@code Strict} is relaxed to {@code Lax}).
     */
    CROSS_SITE_NAVIGATION,
    /** Also a cross-site POST, as {@code form_post} makes ({@code SameSite=None}; needs HTTPS). */
    CROSS_SITE_POST
  }

  /**
   * @param maxAge how long the browser keeps it; {@code null} for a browser-session cookie
   * @param reach which cross-site requests must carry it
   */
  void set(String name, String value, @Nullable Duration maxAge, Reach reach);

  void clear(String name);

  /** The servlet container's own session for this request; empty outside a servlet container. */
  default Optional<ContainerSession> containerSession() {
    return Optional.empty();
  }
}
