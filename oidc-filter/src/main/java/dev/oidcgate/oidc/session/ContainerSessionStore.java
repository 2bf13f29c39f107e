package dev.oidcgate.oidc.session;

import java.text.ParseException;
import java.util.Optional;

/**
 * Sessions in the servlet container's {@code HttpSession} (its cookie, its replication). A login
 * changes the container's session id (no fixation); logout invalidates the {@code HttpSession}, so
 * a replayed cookie finds nothing. Only JSON is stored, so any container's persistence can handle
 * it. The attribute is named after the issuer and client ({@link SessionBinding}), so two filters
 * of one app, which share the container's session, never read each other's sessions. Thread-safe
 * (it keeps no state of its own).
 */
public final class ContainerSessionStore implements SessionStore {

  static final String ATTRIBUTE_PREFIX = "dev.oidcgate.oidc.session.";

  private final String attribute;

  public ContainerSessionStore(SessionBinding binding) {
    this.attribute = ATTRIBUTE_PREFIX + binding.key();
  }

  @Override
  public Optional<OidcSession> load(SessionCookies cookies) {
    Optional<String> json = container(cookies).attribute(attribute);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OidcSession.fromJson(json.get()));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public void save(OidcSession session, SessionCookies cookies) {
    ContainerSession container = container(cookies);
    Optional<String> existing = container.attribute(attribute);
    boolean sameLogin =
        existing.isPresent() && load(cookies).map(s -> s.id().equals(session.id())).orElse(false);
    container.setAttribute(attribute, session.toJson(), !sameLogin);
  }

  @Override
  public void delete(OidcSession session, SessionCookies cookies) {
    container(cookies).invalidate();
  }

  private static ContainerSession container(SessionCookies cookies) {
    return cookies
        .containerSession()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "sessionStore=container works only inside a servlet container"));
  }
}
