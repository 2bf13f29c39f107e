package dev.oidcgate.oidc.session;

import org.jspecify.annotations.Nullable;

/** The session store cannot be used right now (a remote store is down); the caller answers 503. */
public final class SessionStoreException extends Exception {

  private static final long serialVersionUID = 1L;

  public SessionStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
