package dev.oidcgate.oidc.token;

import dev.oidcgate.oidc.config.TokenSettings;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.provider.JwksCache;
import java.time.Clock;
import java.util.Optional;

/** Assembles the bearer-token validator a configuration asks for. */
public final class TokenValidators {

  private TokenValidators() {}

  /**
   * @param clientId the client id: a JWT naming it as audience must look like an access token
   *     ({@link AccessTokenShape})
   * @param issuer which issuer (and, at a multi-tenant endpoint, which tenants) a token must name
   * @param client asks the provider about opaque tokens; best on connections of its own
   * @param introspection where to ask; resolves to null when opaque tokens cannot be checked
   */
  public static AccessTokenValidator create(
      TokenSettings settings,
      Optional<String> clientId,
      IssuerRule issuer,
      Clock clock,
      JwksCache keys,
      IdpClient client,
      IntrospectionValidator.Endpoint introspection,
      SafeEvents events) {
    TokenClaimChecks checks =
        new TokenClaimChecks(
            issuer,
            settings.audience(),
            settings.audienceClaim(),
            settings.accessTokenClaims(),
            clock,
            settings.clockSkew());
    JwtAccessTokenValidator jwt =
        new JwtAccessTokenValidator(
            new SignatureCheck(keys, settings.allowedAlgorithms()),
            settings.accessTokenTypes(),
            checks,
            new AccessTokenShape(clientId));
    IntrospectionValidator opaque =
        new IntrospectionValidator(
            introspection,
            client,
            checks,
            clock,
            new IntrospectionValidator.Limits(
                settings.introspectionCacheTtl(),
                settings.introspectionRefusalCacheTtl(),
                settings.introspectionMaxConcurrent(),
                settings.tokenCacheSize()),
            outcome -> events.fire(l -> l.introspected(outcome)));
    return new BearerTokenValidator(
        jwt, opaque, settings.maxTokenLength(), settings.tokenCacheSize(), clock);
  }
}
