package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pushes authorization requests to the provider's PAR endpoint (RFC 9126). Thread-safe. */
final class PushedRequests {

  // Log lines keep IdpClient's category, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(IdpClient.class);

  private final IdpTransport transport;
  private final TokenEndpointRequests requests;

  PushedRequests(IdpTransport transport, TokenEndpointRequests requests) {
    this.transport = transport;
    this.requests = requests;
  }

  /** See {@link IdpClient#pushAuthorizationRequest(URI, AuthorizationRequest)}. */
  URI push(URI endpoint, AuthorizationRequest authorization) throws OidcErrorException {
    PushedAuthorizationResponse response;
    try {
      HTTPResponse http = transport.send(requests.pushed(endpoint, authorization).toHTTPRequest());
      if (http.getStatusCode() >= 500) {
        throw new IOException("it answered HTTP " + http.getStatusCode());
      }
      response = PushedAuthorizationResponse.parse(http);
    } catch (IOException e) {
      String more = RepeatedFailures.admit(LOG, "PAR endpoint unreachable", endpoint);
      if (more != null) {
        LOG.warn("The PAR endpoint could not be reached: {}{}", e.getMessage(), more);
      }
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", 5);
    } catch (ParseException e) {
      String more = RepeatedFailures.admit(LOG, "PAR answer unreadable", endpoint);
      if (more != null) {
        LOG.warn("The PAR endpoint's answer does not parse: {}{}", e.getMessage(), more);
      }
      throw OidcErrors.providerUnavailable(
          "The identity provider's pushed authorization response is malformed", 5);
    }
    if (!response.indicatesSuccess()) {
      String code = response.toErrorResponse().getErrorObject().getCode();
      String more = RepeatedFailures.admit(LOG, "PAR endpoint refused a request", endpoint);
      if (more != null) {
        LOG.warn("The PAR endpoint refused the authorization request: {}{}", code, more);
      }
      throw OidcErrors.invalidRequest(
          "The identity provider refused the pushed authorization request ("
              + (code == null ? "no error code" : code)
              + ")");
    }
    return response.toSuccessResponse().getRequestURI();
  }
}
