package dev.oidcgate.oidc.token;

import com.nimbusds.jose.JOSEObjectType;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Tells a JWT access token from an ID token that would pass every other check: an ID token's
 * audience is the client id (OpenID Connect Core 1.0 §2), which is also the filter's default
 * audience, and providers do not always mark ID tokens ({@code nonce} only when the login sent one;
 * no {@code typ}: panva's {@code oidc-provider}). So a JWT whose {@code aud} names the client id is
 * taken as an access token only when it shows one of these marks, which no ID token of these
 * providers carries:
 *
 * <ul>
 *   <li>header {@code typ} {@code at+jwt} or {@code application/at+jwt} (RFC 9068; {@code
 *       oidc-provider}, Auth0's RFC 9068 profile);
 *   <li>{@code scope} (RFC 9068; Keycloak, Auth0, Cognito, {@code oidc-provider}) or {@code scp}
 *       (Entra ID, Okta, Ory Hydra);
 *   <li>{@code client_id} (RFC 9068; Cognito, {@code oidc-provider}) or {@code cid} (Okta);
 *   <li>{@code token_use: access} (Cognito), the claim {@code typ: Bearer} (Keycloak);
 *   <li>{@code azpacr} or {@code appidacr} (Entra ID v2 and v1: in every access token, an app-only
 *       one with {@code roles} and no {@code scp} too);
 *   <li>{@code gty} (Auth0's grant type).
 * </ul>
 *
 * <p>The ID tokens they are told from: Keycloak's ({@code typ: ID}), Entra ID's ({@code aio},
 * {@code roles}, {@code ver}, no {@code scp}), Okta's ({@code amr}, {@code idp}, {@code ver}),
 * Auth0's and Google's (profile claims, {@code azp}), Cognito's ({@code token_use: id}) and {@code
 * oidc-provider}'s (no {@code nonce}, no {@code typ}). A token whose {@code aud} does not name the
 * client id (an API's audience) is no ID token of this client and is not looked at; Google's access
 * tokens are opaque, never JWTs. Introspected tokens are not looked at either: the provider's
 * answer says what they are. Immutable and thread-safe.
 */
final class AccessTokenShape {

  private static final List<String> MARK_CLAIMS =
      List.of("scope", "scp", "client_id", "cid", "azpacr", "appidacr", "gty");

  private final Optional<String> clientId;

  /**
   * @param clientId the client id, the audience of this client's ID tokens; empty: no ID token can
   *     pass the audience check, so nothing is looked at
   */
  AccessTokenShape(Optional<String> clientId) {
    this.clientId = clientId;
  }

  /**
   * @param type the JWT header's {@code typ}, or null
   * @param claims the verified token's claims
   * @throws OidcErrorException 401 when the token is shaped like an ID token of this client
   */
  void require(@Nullable JOSEObjectType type, Map<String, Object> claims)
      throws OidcErrorException {
    if (clientId.isEmpty() || !namesClient(claims.get("aud")) || hasMark(type, claims)) {
      return;
    }
    throw OidcErrors.invalidToken("An ID token is not an access token");
  }

  private boolean namesClient(@Nullable Object aud) {
    String id = clientId.get();
    return id.equals(aud) || (aud instanceof Collection<?> c && c.contains(id));
  }

  private static boolean hasMark(@Nullable JOSEObjectType type, Map<String, Object> claims) {
    if (type != null) {
      String t = type.getType().toLowerCase(Locale.ROOT);
      if (t.equals("at+jwt") || t.equals("application/at+jwt")) {
        return true;
      }
    }
    for (String name : MARK_CLAIMS) {
      if (claims.get(name) != null) {
        return true;
      }
    }
    return "access".equals(claims.get("token_use")) || "Bearer".equals(claims.get("typ"));
  }
}
