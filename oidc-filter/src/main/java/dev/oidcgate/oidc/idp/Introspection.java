package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks the provider's introspection endpoint about tokens (RFC 7662). Thread-safe. */
final class Introspection {

  // Log lines keep IdpClient's category, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(IdpClient.class);

  private final IdpTransport transport;
  private final TokenEndpointRequests requests;

  Introspection(IdpTransport transport, TokenEndpointRequests requests) {
    this.transport = transport;
    this.requests = requests;
  }

  /** See {@link IdpClient#introspect(URI, String)}. */
  TokenIntrospectionResponse introspect(URI endpoint, String token) throws OidcErrorException {
    Optional<ClientAuthentication> auth = requests.introspectionAuth(endpoint);
    if (auth.isEmpty()) {
      throw OidcErrors.invalidToken("Opaque tokens are not accepted here");
    }
    try {
      HTTPResponse http =
          transport.send(
              new TokenIntrospectionRequest(endpoint, auth.get(), new TypelessAccessToken(token))
                  .toHTTPRequest());
      TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(http);
      if (!response.indicatesSuccess()) {
        // Usually wrong client credentials: the caller's token may be fine, so not a 401.
        String more = RepeatedFailures.admit(LOG, "introspection refused", endpoint);
        if (more != null) {
          LOG.error(
              "Token introspection at {} was refused with HTTP {} {}{}",
              endpoint,
              http.getStatusCode(),
              response.toErrorResponse().getErrorObject().getCode(),
              more);
        }
        throw OidcErrors.providerUnavailable("The token could not be checked", 30);
      }
      return response;
    } catch (IOException e) {
      String more = RepeatedFailures.admit(LOG, "introspection unreachable", endpoint);
      if (more != null) {
        LOG.warn("Token introspection at {} failed: {}{}", endpoint, e.getMessage(), more);
      }
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", 5);
    } catch (ParseException e) {
      String more = RepeatedFailures.admit(LOG, "introspection answer unreadable", endpoint);
      if (more != null) {
        LOG.warn("Token introspection at {} gave an unreadable answer{}", endpoint, more);
      }
      throw OidcErrors.providerUnavailable("The identity provider gave an unreadable answer", 5);
    }
  }

  /** See {@link IdpClient#probeIntrospection(URI)}. */
  TokenIntrospectionResponse probe(URI endpoint) throws IOException, ParseException {
    Optional<ClientAuthentication> auth = requests.introspectionAuth(endpoint);
    if (auth.isEmpty()) {
      throw new ParseException("no client secret to authenticate with");
    }
    return TokenIntrospectionResponse.parse(
        transport.send(
            new TokenIntrospectionRequest(
                    endpoint, auth.get(), new TypelessAccessToken("oidc-gate-doctor-probe"))
                .toHTTPRequest()));
  }
}
