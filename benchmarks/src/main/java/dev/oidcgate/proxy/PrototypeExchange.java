package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hc.core5.http.Header;
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

  PrototypeExchange(ProxyTarget target) {
    this.target = target;
  }

  /** The incoming path, as {@link ProxyServlet} splits it. */
  static IncomingPath incomingPath(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
    boolean strip = match == MappingMatch.PATH || match == MappingMatch.EXACT;
    return IncomingPath.of(
        request.getRequestURI(), request.getContextPath(), request.getServletPath(), strip);
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
      respondWithFailure(response, escape);
      return null;
    }
    String upstreamTarget =
        target.upstreamRequestTarget(path.forwardPath(), request.getQueryString());
    ProxyException hostLike = PathEscapes.refusalOfUpstreamTarget(upstreamTarget);
    if (hostLike != null) {
      respondWithFailure(response, hostLike);
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
    Header[] connection = upstreamResponse.getHeaders("Connection");
    HopByHopHeaders hopByHop = HopByHopHeaders.FIXED;
    if (connection.length > 0) {
      List<String> values = new ArrayList<>(connection.length);
      for (Header header : connection) {
        values.add(header.getValue());
      }
      hopByHop = HopByHopHeaders.of(values);
    }
    ResponseHeaderRewriter rewriter = null;
    for (Header header : upstreamResponse.getHeaders()) {
      String name = header.getName();
      String value = header.getValue();
      String lower = name.toLowerCase(Locale.ROOT);
      if (hopByHop.isHopByHopLowerCase(lower) || value == null) {
        continue;
      }
      if (lower.equals("content-length")) {
        try {
          response.setContentLengthLong(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
          // streamed until it ends
        }
        continue;
      }
      if (ResponseHeaderRewriter.rewritesLowerCase(lower)) {
        if (rewriter == null) {
          rewriter = new ResponseHeaderRewriter(target, clientOrigin(request), path.proxyPrefix());
        }
        value = rewriter.rewrite(name, value);
      }
      response.addHeader(name, value);
    }
  }

  static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  static boolean causedByClient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClientGoneException) {
        return true;
      }
    }
    return false;
  }

  static void respondWithFailure(HttpServletResponse response, ProxyException failure)
      throws IOException {
    if (response.isCommitted()) {
      throw new IOException(failure.getMessage());
    }
    byte[] body = (failure.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(failure.status());
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String clientOrigin(HttpServletRequest request) {
    String host = request.getHeader("Host");
    if (host == null || host.isEmpty()) {
      host = request.getServerName() + ":" + request.getServerPort();
    }
    return request.getScheme() + "://" + host;
  }
}
