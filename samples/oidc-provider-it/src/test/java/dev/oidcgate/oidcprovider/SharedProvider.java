package dev.oidcgate.oidcprovider;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The one oidc-provider of a test run: installed ({@link OpDependencies}) and started by the first
 * test class that asks for it, stopped when the test JVM exits (the server's shutdown hook), so the
 * IT classes of this module share one start. Clients that need the app's port register themselves
 * ({@link OidcProviderServer#register}); the machine client below is there from the start.
 */
final class SharedProvider {

  /** A confidential client for the client credentials grant (bearer token tests). */
  static final String MACHINE_CLIENT_ID = "machine";

  static final String MACHINE_CLIENT_SECRET = "machine-client-secret-for-oidc-provider-it";

  /** The resource (RFC 8707) every access token is for unless another is asked for. */
  static final String API = "urn:oidc-gate:api";

  /** Another resource the OP knows, for tokens meant for someone else. */
  static final String OTHER_API = "urn:oidc-gate:other";

  private static OidcProviderServer server;
  private static RuntimeException startFailure;

  private SharedProvider() {}

  /** The running server; a start that failed once fails every later caller at once. */
  static synchronized OidcProviderServer get() throws Exception {
    if (startFailure != null) {
      throw startFailure;
    }
    if (server == null) {
      Path op = Path.of(System.getProperty("op.dir"));
      Path logs = Path.of(System.getProperty("op.logs"));
      OidcProviderServer starting = new OidcProviderServer(op, logs.resolve("op.log"));
      try {
        OpDependencies.ensureInstalled(op, logs.resolve("npm-ci.log"), Duration.ofMinutes(5));
        starting.start(
            "[{\"client_id\":\""
                + MACHINE_CLIENT_ID
                + "\",\"client_secret\":\""
                + MACHINE_CLIENT_SECRET
                + "\",\"grant_types\":[\"client_credentials\"],\"redirect_uris\":[],"
                + "\"response_types\":[]}]",
            Duration.ofSeconds(60));
      } catch (Exception | Error e) {
        starting.close();
        startFailure = new IllegalStateException("oidc-provider did not start", e);
        throw e;
      }
      server = starting;
    }
    return server;
  }
}
