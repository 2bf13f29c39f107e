package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Copies the upstream's response header fields onto the servlet response: all but hop-by-hop ones
 * (the fixed list and what the upstream's {@code Connection} names), {@code Content-Length} as the
 * servlet's length, and redirects and cookies pointed back through the proxy ({@link
 * ResponseHeaderRewriter}). Thread-safe.
 */
final class ResponseHeaderCopier {

  private final ProxyTarget target;

  ResponseHeaderCopier(ProxyTarget target) {
    this.target = target;
  }

  void copy(
      HttpServletRequest request,
      IncomingPath path,
      HttpResponse upstreamResponse,
      HttpServletResponse response) {
    HopByHopHeaders hopByHop = HopByHopHeaders.FIXED;
    if (upstreamResponse.containsHeader("Connection")) {
      List<String> values = new ArrayList<>(1);
      for (Header header : upstreamResponse.getHeaders("Connection")) {
        values.add(header.getValue());
      }
      hopByHop = HopByHopHeaders.of(values);
    }
    ResponseHeaderRewriter rewriter = null; // built for the first Location or Set-Cookie only
    // The iterator walks the message's own list; getHeaders() would copy it into a new array.
    for (Iterator<Header> headers = upstreamResponse.headerIterator(); headers.hasNext(); ) {
      Header header = headers.next();
      String name = header.getName();
      String value = header.getValue();
      String lower = name.toLowerCase(Locale.ROOT); // once per header, for every check below
      if (hopByHop.isHopByHopLowerCase(lower) || value == null) {
        continue;
      }
      if (lower.equals("content-length")) {
        try {
          response.setContentLengthLong(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
          // A malformed length is not ours to repair; the body is streamed until it ends.
        }
        continue;
      }
      if (ResponseHeaderRewriter.rewritesLowerCase(lower)) {
        if (rewriter == null) {
          rewriter = new ResponseHeaderRewriter(target, clientOrigin(request), path.proxyPrefix());
        }
        value = rewriter.rewrite(name, value);
      }
      if (lower.equals("date") || lower.equals("server")) {
        // Single fields a container may already have written (Jetty does both by default): the
        // upstream's replaces the container's rather than standing beside it.
        response.setHeader(name, value);
      } else {
        response.addHeader(name, value);
      }
    }
  }

  private static String clientOrigin(HttpServletRequest request) {
    String host = request.getHeader("Host");
    if (host == null || host.isEmpty()) {
      host = request.getServerName() + ":" + request.getServerPort();
    }
    return request.getScheme() + "://" + host;
  }
}
