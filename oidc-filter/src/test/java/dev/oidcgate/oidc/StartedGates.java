package dev.oidcgate.oidc;

import dev.oidcgate.oidc.config.OidcConfig;

/** {@link IssuerGates#start} for tests in other packages (it is the filter's, not public API). */
public final class StartedGates {

  private StartedGates() {}

  /** The gates the filter's {@code init} starts for {@code config}; close them after. */
  public static IssuerGates start(OidcConfig config) {
    return IssuerGates.start(config);
  }
}
