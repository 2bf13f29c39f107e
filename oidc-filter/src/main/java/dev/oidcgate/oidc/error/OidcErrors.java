package dev.oidcgate.oidc.error;

/**
 * Factories for the errors the filter answers with, so codes and statuses are chosen in one place.
 */
public final class OidcErrors {

  private OidcErrors() {}

  /** No credential was sent (RFC 6750 §3.1: the challenge then carries no error code). */
  public static OidcErrorException missingToken() {
    return new OidcErrorException(new OidcError(401, null, "Authentication required"));
  }

  /** RFC 6750 §3.1 {@code invalid_request}: the credential is malformed in its framing. */
  public static OidcErrorException invalidRequest(String description) {
    return new OidcErrorException(new OidcError(400, "invalid_request", description));
  }

  /** RFC 6750 §3.1 {@code invalid_token}: expired, revoked, malformed or not for us. */
  public static OidcErrorException invalidToken(String description) {
    return new OidcErrorException(new OidcError(401, "invalid_token", description));
  }

  /** RFC 6750 §3.1 {@code insufficient_scope}: a valid token that the access rules refuse. */
  public static OidcErrorException insufficientScope(String description) {
    return new OidcErrorException(new OidcError(403, "insufficient_scope", description));
  }

  /** The identity provider cannot be reached; the caller should try again later. */
  public static OidcErrorException providerUnavailable(String description, long retryAfterSeconds) {
    return new OidcErrorException(
        new OidcError(503, "temporarily_unavailable", description, Math.max(1, retryAfterSeconds)));
  }

  /** RFC 9449 §7.1 {@code invalid_dpop_proof}: the DPoP proof is missing, malformed or fails. */
  public static OidcErrorException invalidDpopProof(String description) {
    return new OidcErrorException(
        new OidcError(401, "invalid_dpop_proof", description, 0, OidcError.DPOP));
  }

  /** RFC 9449 §7.1 {@code invalid_token} with a DPoP challenge: the token's binding is wrong. */
  public static OidcErrorException invalidDpopToken(String description) {
    return new OidcErrorException(
        new OidcError(401, "invalid_token", description, 0, OidcError.DPOP));
  }

  /** RFC 9449 §9 {@code use_dpop_nonce}: the proof must carry the server's current nonce. */
  public static OidcErrorException useDpopNonce(String description) {
    return new OidcErrorException(
        new OidcError(401, "use_dpop_nonce", description, 0, OidcError.DPOP));
  }

  /**
   * The token an upstream should get could not be obtained (a refused or failed token exchange or
   * client credentials grant): 502, as for an upstream that fails; never the caller's token
   * instead.
   */
  public static OidcErrorException upstreamTokenUnavailable(String description) {
    return new OidcErrorException(new OidcError(502, "upstream_token_unavailable", description));
  }
}
