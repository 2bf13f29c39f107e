package dev.oidcgate.oidc.identity;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.authz.ClaimValues;
import dev.oidcgate.oidc.config.AccessSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.session.OidcSession;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns verified claims into the caller the app sees: the principal named by {@code
 * principalClaim}, the roles and groups, and the identity headers. Immutable.
 */
public final class Callers {

  private final AccessSettings access;
  private final IdentityHeaders headers;

  public Callers(AccessSettings access, IdentityHeaders headers) {
    this.access = access;
    this.headers = headers;
  }

  /**
   * The caller of a bearer token.
   *
   * @throws OidcErrorException 401 when the token lacks the principal claim
   */
  public Caller forBearer(String token, Map<String, Object> claims) throws OidcErrorException {
    Object name = access.principalClaim().resolve(claims);
    if (!(name instanceof String) || ((String) name).isEmpty()) {
      throw OidcErrors.invalidToken("The token has no " + access.principalClaim() + " claim");
    }
    return new Caller(
        new OidcPrincipal((String) name, claims, roles(claims)), headers.forCaller(token, claims));
  }

  /** The caller of a session; named by its subject when the principal claim is missing. */
  public Caller forSession(OidcSession session, Map<String, Object> claims) {
    Object name = access.principalClaim().resolve(claims);
    String principalName =
        name instanceof String && !((String) name).isEmpty() ? (String) name : session.subject();
    String userInfoJson =
        session.userInfo().isEmpty() ? null : JSONObjectUtils.toJSONString(session.userInfo());
    return new Caller(
        new OidcPrincipal(principalName, claims, roles(claims)),
        headers.forCaller(session.accessToken(), session.idToken(), userInfoJson, claims));
  }

  private Set<String> roles(Map<String, Object> claims) {
    Set<String> roles = new LinkedHashSet<>(ClaimValues.of(access.rolesClaim().resolve(claims)));
    roles.addAll(ClaimValues.of(access.groupsClaim().resolve(claims)));
    return roles;
  }
}
