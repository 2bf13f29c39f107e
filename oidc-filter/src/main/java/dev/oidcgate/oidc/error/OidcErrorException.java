package dev.oidcgate.oidc.error;

import java.util.Objects;

/**
 * Thrown by the protocol code when a request must be refused; carries the {@link OidcError} that
 * the servlet edge turns into the response in one place. It has no stack trace: it is a decision,
 * not a bug.
 */
public final class OidcErrorException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient OidcError error;

  public OidcErrorException(OidcError error) {
    super(error.code() + ": " + error.description(), null, false, false);
    this.error = Objects.requireNonNull(error, "error");
  }

  public OidcError error() {
    return error;
  }
}
