package dev.oidcgate.oidc.login;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.token.SignatureCheck;

/**
 * Decides whether a session's access token may lend its claims to the app: only a JWT signed with
 * the issuer's keys and naming the issuer. Opaque tokens and others' JWTs are carried, never read.
 * Thread-safe.
 */
final class AccessTokenInspector {

  private final SignatureCheck signatures;
  private final ProviderMetadataSource provider;

  AccessTokenInspector(SignatureCheck signatures, ProviderMetadataSource provider) {
    this.signatures = signatures;
    this.provider = provider;
  }

  /**
   * Whether the access token is a JWT (signed or encrypted), whatever its issuer: a structured
   * token, which many revocation endpoints refuse ({@code unsupported_token_type}).
   */
  static boolean isJwt(String accessToken) {
    try {
      JWTParser.parse(accessToken);
      return true;
    } catch (java.text.ParseException | RuntimeException e) {
      return false;
    }
  }

  boolean isReadable(String accessToken) {
    try {
      SignedJWT jwt = SignedJWT.parse(accessToken);
      signatures.verify(jwt, "access token");
      return provider.current().getIssuer().getValue().equals(jwt.getJWTClaimsSet().getIssuer());
    } catch (java.text.ParseException | OidcErrorException | RuntimeException e) {
      return false; // opaque, or not ours to read: its claims are not used
    }
  }
}
