package dev.oidcgate.keycloak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The one Keycloak of a test run, with the {@code oidc-gate} realm: started by the first test class
 * that asks for it and stopped when the test JVM exits ({@link KeycloakServer}'s shutdown hook), so
 * that every IT class of this module shares one start (15-50 s) instead of paying its own.
 */
final class SharedKeycloak {

  private static KeycloakServer server;
  private static RuntimeException startFailure;

  private SharedKeycloak() {}

  /** The running server; a start that failed once fails every later caller at once. */
  static synchronized KeycloakServer get() throws Exception {
    if (startFailure != null) {
      throw startFailure;
    }
    if (server == null) {
      KeycloakServer starting =
          new KeycloakServer(
              Path.of(System.getProperty("keycloak.home")),
              "oidc-gate-realm.json",
              KeycloakInteropIT.REALM,
              Path.of(System.getProperty("keycloak.log")));
      try {
        starting.start(Duration.ofMinutes(4));
      } catch (Exception | Error e) {
        starting.close();
        startFailure = new IllegalStateException("Keycloak did not start", e);
        throw e;
      }
      server = starting;
    }
    return server;
  }
}
