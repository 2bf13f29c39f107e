package dev.oidcgate.oidc.token;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import dev.oidcgate.oidc.OidcConfig;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.JwksCache;

/** Assembles the bearer-token validator a configuration asks for. */
public final class TokenValidators {

  private TokenValidators() {}

  /**
   * @param clientAuth how to authenticate to the introspection endpoint, or null when there is no
   *     client secret (then opaque tokens are refused)
   */
  public static AccessTokenValidator create(
      OidcConfig config,
      JwksCache keys,
      IdpTransport transport,
      IntrospectionValidator.Endpoint introspection,
      ClientAuthentication clientAuth) {
    TokenClaimChecks checks =
        new TokenClaimChecks(
            config.issuer().issuer(),
            config.audience(),
            config.audienceClaim(),
            config.clock(),
            config.clockSkew());
    JwtAccessTokenValidator jwt =
        new JwtAccessTokenValidator(
            new SignatureCheck(keys, config.allowedAlgorithms()),
            config.accessTokenTypes(),
            checks);
    IntrospectionValidator opaque =
        new IntrospectionValidator(
            introspection,
            clientAuth,
            transport,
            checks,
            config.clock(),
            config.introspectionCacheTtl());
    return new BearerTokenValidator(
        jwt, opaque, config.maxTokenLength(), config.tokenCacheSize(), config.clock());
  }
}
