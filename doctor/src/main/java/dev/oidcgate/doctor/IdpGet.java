package dev.oidcgate.doctor;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.oidcgate.oidc.http.IdpTransport;
import java.io.IOException;
import java.net.URI;

/**
 * A plain GET of a JSON document through the filter's transport: the doctor reads discovery and
 * jwks_uri once by hand because it wants what the filter's caches do not keep (status code, Date
 * header).
 */
final class IdpGet {

  private IdpGet() {}

  static HTTPResponse json(IdpTransport transport, URI uri) throws IOException {
    HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, uri);
    request.setAccept("application/json");
    return transport.send(request);
  }
}
