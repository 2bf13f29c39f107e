package dev.oidcgate.oidc.token;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.http.IdpTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates an opaque access token by asking the provider (RFC 7662). The token must be {@code
 * active}; issuer, audience and expiry are checked where the response carries them. The result may
 * be reused for at most {@code maxReuse} and never after the token expires. Thread-safe.
 */
public final class IntrospectionValidator implements AccessTokenValidator {

  private static final Logger LOG = LoggerFactory.getLogger(IntrospectionValidator.class);

  /** Where to introspect and how to authenticate; empty when opaque tokens cannot be checked. */
  @FunctionalInterface
  public interface Endpoint {
    URI uri() throws OidcErrorException;
  }

  private final Endpoint endpoint;
  private final ClientAuthentication clientAuth;
  private final IdpTransport transport;
  private final TokenClaimChecks checks;
  private final Clock clock;
  private final Duration maxReuse;

  IntrospectionValidator(
      Endpoint endpoint,
      ClientAuthentication clientAuth,
      IdpTransport transport,
      TokenClaimChecks checks,
      Clock clock,
      Duration maxReuse) {
    this.endpoint = endpoint;
    this.clientAuth = clientAuth;
    this.transport = transport;
    this.checks = checks;
    this.clock = clock;
    this.maxReuse = maxReuse;
  }

  @Override
  public VerifiedToken validate(String token) throws OidcErrorException {
    URI uri = endpoint.uri();
    if (uri == null || clientAuth == null) {
      throw OidcErrors.invalidToken("Opaque tokens are not accepted here");
    }
    TokenIntrospectionResponse response;
    HTTPResponse http;
    try {
      http =
          transport.send(
              new TokenIntrospectionRequest(uri, clientAuth, new TypelessAccessToken(token))
                  .toHTTPRequest());
      response = TokenIntrospectionResponse.parse(http);
    } catch (IOException e) {
      LOG.warn("Token introspection at {} failed: {}", uri, e.getMessage());
      throw OidcErrors.providerUnavailable("The identity provider is not reachable", 5);
    } catch (ParseException e) {
      LOG.warn("Token introspection at {} gave an unreadable answer: {}", uri, e.getMessage());
      throw OidcErrors.providerUnavailable("The identity provider gave an unreadable answer", 5);
    }
    if (!response.indicatesSuccess()) {
      // Usually wrong client credentials: the caller's token may be fine, so this is not a 401.
      LOG.error(
          "Token introspection at {} was refused with HTTP {} {}",
          uri,
          http.getStatusCode(),
          response.toErrorResponse().getErrorObject().getCode());
      throw OidcErrors.providerUnavailable("The token could not be checked", 30);
    }
    TokenIntrospectionSuccessResponse success = response.toSuccessResponse();
    if (!success.isActive()) {
      throw OidcErrors.invalidToken("The token is not active");
    }
    Map<String, Object> claims = success.toJSONObject();
    Instant exp = checks.check(claims, false);
    Instant reuseLimit = clock.instant().plus(maxReuse);
    Instant reuseUntil = exp == null || exp.isAfter(reuseLimit) ? reuseLimit : exp;
    return new VerifiedToken(claims, exp, reuseUntil);
  }
}
