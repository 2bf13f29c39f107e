package dev.oidcgate.oidc.session;

import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sessions kept in a {@link SessionRepository}; the browser's cookie holds only the session's random
 * id. Logout removes the entry, so a replayed cookie finds nothing. Thread-safe.
 */
public final class ServerSideSessionStore implements SessionStore {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22,64}");

  private final String cookieName;
  private final SessionRepository repository;
  private final Duration timeToLive;

  /**
   * @param timeToLive how long an entry is kept after its last write (the idle timeout)
   */
  public ServerSideSessionStore(String cookieName, SessionRepository repository, Duration timeToLive) {
    this.cookieName = cookieName;
    this.repository = repository;
    this.timeToLive = timeToLive;
  }

  @Override
  public Optional<OidcSession> load(SessionCookies cookies) throws SessionStoreException {
    Optional<String> id = cookies.get(cookieName);
    if (id.isEmpty() || !ID.matcher(id.get()).matches()) {
      return Optional.empty();
    }
    Optional<String> json = repository.get(id.get());
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      OidcSession session = OidcSession.fromJson(json.get());
      return session.id().equals(id.get()) ? Optional.of(session) : Optional.empty();
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public void save(OidcSession session, SessionCookies cookies) throws SessionStoreException {
    repository.put(session.id(), session.toJson(), timeToLive);
    if (!cookies.get(cookieName).map(session.id()::equals).orElse(false)) {
      cookies.set(cookieName, session.id(), null, SessionCookies.Reach.CONFIGURED);
    }
  }

  @Override
  public void delete(OidcSession session, SessionCookies cookies) throws SessionStoreException {
    repository.remove(session.id());
    cookies.clear(cookieName);
  }
}
