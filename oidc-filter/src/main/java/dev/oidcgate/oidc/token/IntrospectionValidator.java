package dev.oidcgate.oidc.token;

import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.idp.IdpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Validates an opaque access token by asking the provider (RFC 7662). The token must be {@code
 * active}; issuer, audience and expiry are checked where the response carries them. The result may
 * be reused for at most {@code maxReuse} and never after the token expires. Thread-safe.
 */
public final class IntrospectionValidator implements AccessTokenValidator {

  /** Where to introspect and how to authenticate; empty when opaque tokens cannot be checked. */
  @FunctionalInterface
  public interface Endpoint {
    URI uri() throws OidcErrorException;
  }

  private final Endpoint endpoint;
  private final IdpClient client;
  private final TokenClaimChecks checks;
  private final Clock clock;
  private final Duration maxReuse;

  IntrospectionValidator(
      Endpoint endpoint,
      IdpClient client,
      TokenClaimChecks checks,
      Clock clock,
      Duration maxReuse) {
    this.endpoint = endpoint;
    this.client = client;
    this.checks = checks;
    this.clock = clock;
    this.maxReuse = maxReuse;
  }

  @Override
  public VerifiedToken validate(String token) throws OidcErrorException {
    URI uri = endpoint.uri();
    if (uri == null) {
      throw OidcErrors.invalidToken("Opaque tokens are not accepted here");
    }
    TokenIntrospectionResponse response = client.introspect(uri, token);
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
