package dev.oidcgate.oidc.http;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;

/**
 * The one way the filter talks to the identity provider: discovery, JWKS, introspection and (later)
 * the token endpoint. Requests arrive fully built by Nimbus, client authentication included, so a
 * client assertion ({@code private_key_jwt}) needs no change here.
 *
 * <p>Implementations must be thread-safe, must apply connect and read timeouts and must refuse a
 * response body larger than their cap with an {@link IOException}.
 */
@FunctionalInterface
public interface IdpTransport {

  /**
   * @return the response, whatever its status
   * @throws IOException when the provider cannot be reached, times out, or answers too much
   */
  HTTPResponse send(HTTPRequest request) throws IOException;
}
