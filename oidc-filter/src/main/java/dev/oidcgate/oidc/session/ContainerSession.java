package dev.oidcgate.oidc.session;

import java.util.Optional;

/**
 * The servlet container's own session ({@code HttpSession}) for one request, as a store sees it,
 * without servlet types. Not thread-safe: one per request.
 */
public interface ContainerSession {

  /** The attribute of the container's current session; empty when there is no session or value. */
  Optional<String> attribute(String name);

  /**
   * Stores an attribute, creating the container's session when there is none.
   *
   * @param renewId give an existing session a new id first (a login: no session fixation)
   */
  void setAttribute(String name, String value, boolean renewId);

  /** Ends the container's session, if there is one. */
  void invalidate();
}
