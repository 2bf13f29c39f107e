package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.text.ParseException;
import java.util.Optional;

/**
 * Sessions in the servlet container's {@code HttpSession} (its cookie, its replication). A login
 * changes the container's session id (no fixation); logout invalidates the {@code HttpSession}, so
 * a replayed cookie finds nothing. Only JSON is stored, so any container's persistence can handle
 * it.
 */
public final class ContainerSessionStore implements SessionStore {

  static final String ATTRIBUTE = "dev.oidcgate.oidc.session";

  @Override
  public Optional<OidcSession> load(SessionCookies cookies) {
    HttpSession session = request(cookies).getSession(false);
    if (session == null) {
      return Optional.empty();
    }
    Object json;
    try {
      json = session.getAttribute(ATTRIBUTE);
    } catch (IllegalStateException invalidated) {
      return Optional.empty();
    }
    if (!(json instanceof String)) {
      return Optional.empty();
    }
    try {
      return Optional.of(OidcSession.fromJson((String) json));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public void save(OidcSession session, SessionCookies cookies) {
    HttpServletRequest request = request(cookies);
    HttpSession existing = request.getSession(false);
    boolean sameLogin =
        existing != null && load(cookies).map(s -> s.id().equals(session.id())).orElse(false);
    HttpSession container = request.getSession(true);
    if (existing != null && !sameLogin) {
      request.changeSessionId(); // a login in a session the app already had: no fixation
    }
    container.setAttribute(ATTRIBUTE, session.toJson());
  }

  @Override
  public void delete(OidcSession session, SessionCookies cookies) {
    HttpSession container = request(cookies).getSession(false);
    if (container != null) {
      try {
        container.invalidate();
      } catch (IllegalStateException alreadyInvalid) {
        // nothing left to end
      }
    }
  }

  private static HttpServletRequest request(SessionCookies cookies) {
    if (!(cookies instanceof ServletSessionCookies)) {
      throw new IllegalStateException(
          "sessionStore=container works only inside the servlet filter");
    }
    return ((ServletSessionCookies) cookies).request();
  }
}
