package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionStore;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.util.Optional;

/**
 * Any session store, with {@link LogoutRecords} consulted on every load and written on every
 * delete, so that a logout on one node (RP-initiated or back-channel) ends the session on all of
 * them, even for cookie sessions that no server holds. Thread-safe if the store is.
 */
public final class LogoutAwareSessionStore implements SessionStore {

  private final SessionStore store;
  private final LogoutRecords records;

  public LogoutAwareSessionStore(SessionStore store, LogoutRecords records) {
    this.store = store;
    this.records = records;
  }

  @Override
  public Optional<OidcSession> load(SessionCookies cookies) throws SessionStoreException {
    Optional<OidcSession> session = store.load(cookies);
    if (session.isPresent() && records.isEnded(session.get())) {
      store.delete(session.get(), cookies);
      return Optional.empty();
    }
    return session;
  }

  @Override
  public void save(OidcSession session, SessionCookies cookies) throws SessionStoreException {
    store.save(session, cookies);
  }

  @Override
  public void delete(OidcSession session, SessionCookies cookies) throws SessionStoreException {
    records.endSession(session);
    store.delete(session, cookies);
  }
}
