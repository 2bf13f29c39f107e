package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Copies the client's request header fields onto the upstream request: everything except hop-by-hop
 * fields, forwarding fields we set ourselves, {@code Content-Length} (the entity declares the
 * length it streams) and, unless {@code preserveHost}, {@code Host}; then adds this hop's {@code
 * X-Forwarded-*} and {@code Forwarded}. Thread-safe.
 */
final class RequestHeaderCopier {

  private final ForwardedHeaders forwardedHeaders;
  private final boolean preserveHost;

  RequestHeaderCopier(ForwardedHeaders forwardedHeaders, boolean preserveHost) {
    this.forwardedHeaders = forwardedHeaders;
    this.preserveHost = preserveHost;
  }

  /**
   * @return whether the client asked for {@code Expect: 100-continue}
   */
  boolean copy(HttpServletRequest request, HttpRequest upstreamRequest) {
    // Most clients send no Connection header or "keep-alive": no list, no set per request.
    String connection = request.getHeader("Connection");
    HopByHopHeaders hopByHop =
        connection == null || connection.equalsIgnoreCase("keep-alive")
            ? HopByHopHeaders.FIXED
            : HopByHopHeaders.of(values(request, "Connection"));
    boolean trustedPeer = forwardedHeaders.trusts(request.getRemoteAddr());
    boolean expectContinue = false;
    // Per request and per header: enumerations are walked, not copied into lists, and each name is
    // lower-cased once for every check (this loop was ~5% of the proxy's CPU under wrk).
    for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("expect")) {
        // HttpClient sends its own Expect and waits for 100 before streaming the body.
        expectContinue =
            "100-continue".equalsIgnoreCase(String.valueOf(request.getHeader(name)).trim());
        continue;
      }
      if (hopByHop.isHopByHopLowerCase(lower)
          || !ForwardedHeaders.copiedAsIsLowerCase(lower, trustedPeer)
          || lower.equals("content-length") // the entity declares the length it streams
          || (lower.equals("host") && !preserveHost)) {
        continue;
      }
      for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
        upstreamRequest.addHeader(name, values.nextElement());
      }
    }
    ForwardedHeaders.Hop hop =
        new ForwardedHeaders.Hop(
            request.getRemoteAddr(),
            request.getScheme(),
            request.getHeader("Host"),
            request.getServerPort());
    forwardedHeaders
        .forUpstream(hop, name -> values(request, name))
        .forEach(upstreamRequest::setHeader);
    return expectContinue;
  }

  private static List<String> values(HttpServletRequest request, String name) {
    return Collections.list(request.getHeaders(name));
  }
}
