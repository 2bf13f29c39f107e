package dev.oidcgate.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Maps what went wrong talking to the upstream to what the client is told, following the gateway
 * convention: the upstream did not answer in time is 504, the upstream could not be reached or
 * broke the exchange is 502, the proxy's own pool is exhausted is 503. Stateless and thread-safe.
 *
 * <p>The reasons are fixed texts: an exception message may contain host names or worse, and it goes
 * to the log (as a class name and message, never with a request header), not to the client.
 */
final class UpstreamFailure {

  private UpstreamFailure() {}

  /**
   * @param failure an exception thrown while sending the request to or reading the response head
   *     from the upstream (not one caused by the client)
   * @return the status and short reason for the client; the failure is kept as the cause
   */
  static ProxyException classify(IOException failure) {
    if (failure instanceof ConnectionRequestTimeoutException) {
      return new ProxyException(
          503, "Service Unavailable: too many concurrent requests to the upstream", failure);
    }
    if (failure instanceof ConnectTimeoutException) {
      return new ProxyException(
          504, "Gateway Timeout: connecting to the upstream timed out", failure);
    }
    if (failure instanceof SocketTimeoutException) {
      return new ProxyException(
          504, "Gateway Timeout: the upstream did not respond in time", failure);
    }
    if (failure instanceof ConnectException || failure instanceof NoRouteToHostException) {
      return new ProxyException(502, "Bad Gateway: the upstream refused the connection", failure);
    }
    if (failure instanceof UnknownHostException) {
      return new ProxyException(502, "Bad Gateway: the upstream host is unknown", failure);
    }
    if (failure instanceof NoHttpResponseException) {
      return new ProxyException(
          502, "Bad Gateway: the upstream closed the connection without a response", failure);
    }
    return new ProxyException(502, "Bad Gateway: the exchange with the upstream failed", failure);
  }

  /** The status and reason for an upstream request that the customizer failed on unexpectedly. */
  static ProxyException customizerFailed(RuntimeException failure) {
    return new ProxyException(
        502, "Bad Gateway: the upstream request could not be prepared", failure);
  }
}
