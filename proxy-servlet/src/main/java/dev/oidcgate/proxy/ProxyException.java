package dev.oidcgate.proxy;

import org.jspecify.annotations.Nullable;

/**
 * A request the proxy cannot complete, carrying the HTTP status and the short plain-text reason the
 * client gets. The reason must be safe to show to anyone: no token, no header value, no stack
 * trace. The servlet maps this to the response in one place.
 */
public final class ProxyException extends Exception {

  private final int status;

  /**
   * @param status a 4xx or 5xx status
   * @param reason one short line for the client's response body
   */
  public ProxyException(int status, String reason) {
    this(status, reason, null);
  }

  /**
   * @param cause kept for logs only; its message never reaches the client
   */
  public ProxyException(int status, String reason, @Nullable Throwable cause) {
    super(reason, cause);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
    }
    this.status = status;
  }

  /** The status the client receives. */
  public int status() {
    return status;
  }
}
