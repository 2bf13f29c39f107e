package dev.oidcgate.proxy;

import java.io.IOException;

/**
 * Reading from or writing to the client failed: the client went away or sent a broken body. Thrown
 * by the proxy's wrappers around the servlet streams so that, where an exception surfaces through
 * HttpClient, the servlet can still tell a client failure (nothing to answer, abort the upstream)
 * from an upstream failure (answer 502/504).
 */
final class ClientGoneException extends IOException {

  ClientGoneException(IOException cause) {
    super("client connection failed: " + cause.getClass().getSimpleName(), cause);
  }

  /** Whether {@code failure} is, or was caused by, a failure of the client's connection. */
  static boolean isCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClientGoneException) {
        return true;
      }
    }
    return false;
  }
}
