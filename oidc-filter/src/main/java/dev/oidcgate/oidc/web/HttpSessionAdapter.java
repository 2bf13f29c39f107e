package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.session.ContainerSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/** {@link ContainerSession} over one request's {@code HttpSession}. */
final class HttpSessionAdapter implements ContainerSession {

  private final HttpServletRequest request;

  HttpSessionAdapter(HttpServletRequest request) {
    this.request = request;
  }

  @Override
  public Optional<String> attribute(String name) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return Optional.empty();
    }
    try {
      Object value = session.getAttribute(name);
      return value instanceof String ? Optional.of((String) value) : Optional.empty();
    } catch (IllegalStateException invalidated) {
      return Optional.empty();
    }
  }

  @Override
  public void setAttribute(String name, String value, boolean renewId) {
    boolean existed = request.getSession(false) != null;
    HttpSession session = request.getSession(true);
    if (existed && renewId) {
      request.changeSessionId();
    }
    session.setAttribute(name, value);
  }

  @Override
  public void invalidate() {
    HttpSession session = request.getSession(false);
    if (session != null) {
      try {
        session.invalidate();
      } catch (IllegalStateException alreadyInvalid) {
        // nothing left to end
      }
    }
  }
}
