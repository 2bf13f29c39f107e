package dev.oidcgate.oidc.session;

import java.util.Optional;

/**
 * Where sessions live. The default keeps them in encrypted cookies ({@link CookieSessionStore}); a
 * server-side store keeps only a random id in the cookie ({@link ServerSideSessionStore} over a
 * {@link SessionRepository}, which a remote store such as Redis implements). Implementations are
 * thread-safe; timeouts are enforced by the caller, so a store may keep sessions longer.
 */
public interface SessionStore {

  /**
   * @return the session the browser presents, or empty when it presents none, or one that was
   *     tampered with, ended by logout, or is unknown
   * @throws SessionStoreException when the store cannot be reached (the caller answers 503)
   */
  Optional<OidcSession> load(SessionCookies cookies) throws SessionStoreException;

  /** Stores a new or changed session and gives the browser what it needs to present it. */
  void save(OidcSession session, SessionCookies cookies) throws SessionStoreException;

  /** Ends the session: the browser's cookie is cleared and a replayed copy of it is refused. */
  void delete(OidcSession session, SessionCookies cookies) throws SessionStoreException;
}
