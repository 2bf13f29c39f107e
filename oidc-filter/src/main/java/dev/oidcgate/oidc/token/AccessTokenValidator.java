package dev.oidcgate.oidc.token;

import dev.oidcgate.oidc.error.OidcErrorException;

/**
 * Decides whether a bearer access token is valid. Implementations are thread-safe and never throw
 * anything but {@link OidcErrorException} for a token they refuse or cannot check now.
 */
@FunctionalInterface
public interface AccessTokenValidator {

  /**
   * @param token the token exactly as sent after {@code Bearer }, never null
   * @return the verified token
   * @throws OidcErrorException {@code invalid_token} (401) for a bad token, 503 when the provider
   *     is needed and unreachable
   */
  VerifiedToken validate(String token) throws OidcErrorException;
}
