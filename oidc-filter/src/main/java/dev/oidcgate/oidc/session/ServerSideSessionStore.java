package dev.oidcgate.oidc.session;

import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sessions kept in a {@link SessionRepository}; the browser's cookie holds only the session's
 * random id. Logout removes the entry, so a replayed cookie finds nothing. Thread-safe.
 */
public final class ServerSideSessionStore implements SessionStore {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22,64}");

  /**
   * The most cookie values looked up per request. A browser sends the session cookie more than once
   * only when the same name was also set for another path or a parent domain (a stale cookie of an
   * earlier deployment, a sibling app, cookie tossing): two or three at most. Each lookup is an
   * awaited round trip to the store, so a request with hundreds of values must not make hundreds;
   * values past the cap are ignored, as if not sent.
   */
  static final int MAX_LOOKUPS = 4;

  private final String cookieName;
  private final SessionRepository repository;
  private final Duration timeToLive;

  /**
   * @param timeToLive how long an entry is kept after its last write (the idle timeout)
   */
  public ServerSideSessionStore(
      String cookieName, SessionRepository repository, Duration timeToLive) {
    this.cookieName = cookieName;
    this.repository = repository;
    this.timeToLive = timeToLive;
  }

  @Override
  public Optional<OidcSession> load(SessionCookies cookies) throws SessionStoreException {
    int lookups = 0;
    for (String id : cookies.getAll(cookieName)) {
      if (!ID.matcher(id).matches()) {
        continue;
      }
      if (lookups++ == MAX_LOOKUPS) {
        break;
      }
      Optional<String> json = repository.get(id);
      if (json.isEmpty()) {
        continue;
      }
      try {
        OidcSession session = OidcSession.fromJson(json.get());
        if (session.id().equals(id)) {
          return Optional.of(session);
        }
      } catch (ParseException e) {
        // not a session: try the next value
      }
    }
    return Optional.empty();
  }

  @Override
  public void save(OidcSession session, SessionCookies cookies) throws SessionStoreException {
    repository.put(session.id(), session.toJson(), timeToLive);
    if (!cookies.getAll(cookieName).equals(java.util.List.of(session.id()))) {
      cookies.set(cookieName, session.id(), null, SessionCookies.Reach.CONFIGURED);
    }
  }

  @Override
  public void delete(OidcSession session, SessionCookies cookies) throws SessionStoreException {
    repository.remove(session.id());
    cookies.clear(cookieName);
  }
}
