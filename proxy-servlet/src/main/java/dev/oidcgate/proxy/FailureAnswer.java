package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The proxy's own answer when it cannot forward: the status and a one-line text, never cached. */
final class FailureAnswer {

  private FailureAnswer() {}

  /**
   * @throws IOException when the response is already committed: the connection is then broken by
   *     the container, the only signal left
   */
  static void send(HttpServletResponse response, ProxyException failure) throws IOException {
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
}
