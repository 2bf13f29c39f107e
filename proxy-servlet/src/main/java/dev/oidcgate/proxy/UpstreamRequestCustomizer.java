package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.hc.core5.http.ClassicHttpRequest;

/**
 * The one place where a deployment may change the request that goes to the upstream after the proxy
 * has built it (headers copied, hop-by-hop headers removed, forwarding headers added) and before it
 * is sent.
 *
 * <p>The intended use is token exchange (RFC 8693): read the caller's {@code Authorization} header
 * from {@code upstreamRequest}, swap the token for one minted for the upstream, and set it back.
 * The proxy does not do that itself.
 *
 * <p>Contract: called once per proxied request, on the request's thread, concurrently for different
 * requests, so implementations must be thread-safe. It must not read the client's body (the proxy
 * streams it later). It may replace headers and the request path of {@code upstreamRequest}, but
 * should not change its target host. To refuse the request, throw {@link ProxyException} with the
 * status the client should see; any other runtime exception becomes a 502.
 */
@FunctionalInterface
public interface UpstreamRequestCustomizer {

  /** Leaves every request as the proxy built it. */
  UpstreamRequestCustomizer NONE = (clientRequest, upstreamRequest) -> {};

  /**
   * @param clientRequest the request as the container (and any filter in front) passed it on;
   *     read-only use
   * @param upstreamRequest the request about to be sent; mutable
   * @throws ProxyException to answer the client with the exception's status instead of forwarding
   */
  void customize(HttpServletRequest clientRequest, ClassicHttpRequest upstreamRequest)
      throws ProxyException;
}
