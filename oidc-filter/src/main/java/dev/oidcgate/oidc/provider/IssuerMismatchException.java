package dev.oidcgate.oidc.provider;

/** The discovery document names another issuer than the one configured (Discovery 1.0 §4.3). */
public final class IssuerMismatchException extends Exception {

  private static final long serialVersionUID = 1L;

  public IssuerMismatchException(String configured, String found) {
    super(
        "the identity provider's metadata names issuer '"
            + found
            + "', not the configured '"
            + configured
            + "' (they must match exactly, trailing slash included)");
  }
}
