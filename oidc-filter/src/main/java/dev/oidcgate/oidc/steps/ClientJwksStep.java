package dev.oidcgate.oidc.steps;

import com.nimbusds.jose.jwk.JWKSet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code clientJwksPath}: the public half of the client's signing key, as a JWKS, for a provider
 * that reads the client's {@code jwks_uri}. Only public members are ever written (the set is made
 * public once, at start-up). {@code GET} and {@code HEAD} only.
 */
final class ClientJwksStep implements RequestStep {

  private final String path;
  private final byte[] body;

  /**
   * @param path the full path, context included
   */
  ClientJwksStep(String path, JWKSet keys) {
    this.path = path;
    this.body = keys.toPublicJWKSet().toString(true).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    HttpServletRequest request = exchange.request();
    if (!path.equals(request.getRequestURI())) {
      return Outcome.NEXT;
    }
    HttpServletResponse response = exchange.response();
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      response.setHeader("Allow", "GET, HEAD");
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return Outcome.ANSWERED;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("application/jwk-set+json");
    response.setHeader("Cache-Control", "public, max-age=300");
    response.setContentLength(body.length);
    if (method.equals("GET")) {
      response.getOutputStream().write(body);
    }
    return Outcome.ANSWERED;
  }
}
