package dev.oidcgate.oidc.idp;

import com.nimbusds.oauth2.sdk.token.AccessToken;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a successful token response carried.
 *
 * @param refreshToken null when none was issued
 * @param idToken null when none was issued (a refresh may omit it)
 * @param lifetime {@code expires_in} in seconds, or 0 when not given
 * @param jwtExpiry the access token's own {@code exp} when it is a JWT, else null
 */
public record TokenSet(
    AccessToken accessToken,
    @Nullable String refreshToken,
    @Nullable String idToken,
    long lifetime,
    @Nullable Instant jwtExpiry) {

  /** Whether the access token is DPoP-bound: {@code token_type} {@code DPoP} (RFC 9449 §5). */
  public boolean dpopBound() {
    return com.nimbusds.oauth2.sdk.token.AccessTokenType.DPOP.equals(accessToken.getType());
  }

  /**
   * When the access token expires: {@code expires_in} from now, else its {@code exp}, else null.
   */
  public @Nullable Instant expiresAt(Instant now) {
    if (lifetime > 0) {
      return now.plusSeconds(lifetime);
    }
    return jwtExpiry;
  }
}
