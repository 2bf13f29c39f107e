package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.hc.core5.http.HttpResponse;

/**
 * What the two benchmark prototypes ({@link RequesterProxyServlet}, {@link AsyncProxyServlet}) do
 * per request apart from the transport, the same steps as {@link ProxyServlet}: the raw path below
 * the mapping, the path checks, the upstream request-target, the response headers minus hop-by-hop
 * ones (with {@code Location} and {@code Set-Cookie} rewritten) and the plain-text failure answer.
 * Benchmark-only; stateless apart from the target.
 */
final class PrototypeExchange {

  private final ProxyTarget target;
  private final ResponseHeaderCopier responseHeaders;

  PrototypeExchange(ProxyTarget target) {
    this.target = target;
    this.responseHeaders = new ResponseHeaderCopier(target);
  }

  /**
   * @return the upstream request-target, or {@code null} after answering 400 for a path that could
   *     leave the target's prefix
   */
  String upstreamTargetOrRefuse(
      HttpServletRequest request, HttpServletResponse response, IncomingPath path)
      throws IOException {
    ProxyException escape = PathEscapes.refusal(request.getRequestURI());
    if (escape != null) {
      FailureAnswer.send(response, escape);
      return null;
    }
    String upstreamTarget =
        target.upstreamRequestTarget(path.forwardPath(), request.getQueryString());
    ProxyException hostLike = PathEscapes.refusalOfUpstreamTarget(upstreamTarget);
    if (hostLike != null) {
      FailureAnswer.send(response, hostLike);
      return null;
    }
    return upstreamTarget;
  }

  /** Status and headers of the upstream's answer onto the servlet response. */
  void copyResponseHead(
      HttpServletRequest request,
      IncomingPath path,
      HttpResponse upstreamResponse,
      HttpServletResponse response) {
    response.setStatus(upstreamResponse.getCode());
    responseHeaders.copy(request, path, upstreamResponse, response);
  }
}
