package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.authz.RequiredValues;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who the caller is and what they may do: the claims that name them and hold their roles and
 * groups, and the access rule every credential must pass.
 *
 * @param rule the configured rules ({@code scopesRequired}, ...) and any rule set in code, as one
 * @param realm the {@code realm} of {@code WWW-Authenticate} challenges
 */
public record AccessSettings(
    ClaimPath principalClaim,
    ClaimPath rolesClaim,
    ClaimPath groupsClaim,
    AccessRule rule,
    String realm) {

  public AccessSettings {
    Objects.requireNonNull(principalClaim);
    Objects.requireNonNull(rolesClaim);
    Objects.requireNonNull(groupsClaim);
    Objects.requireNonNull(rule);
    Objects.requireNonNull(realm);
  }

  static AccessSettings from(SettingValues v, AccessRule extraRule) {
    AccessRule rule =
        required("scope", v.get(OidcSetting.SCOPES_CLAIM), v.get(OidcSetting.SCOPES_REQUIRED))
            .and(
                required(
                    "audience",
                    v.get(OidcSetting.AUDIENCE_CLAIM),
                    v.get(OidcSetting.AUDIENCE_REQUIRED)))
            .and(
                required(
                    "group", v.get(OidcSetting.GROUPS_CLAIM), v.get(OidcSetting.GROUPS_REQUIRED)))
            .and(
                required("role", v.get(OidcSetting.ROLES_CLAIM), v.get(OidcSetting.ROLES_REQUIRED)))
            .and(extraRule);
    return new AccessSettings(
        v.get(OidcSetting.PRINCIPAL_CLAIM),
        v.get(OidcSetting.ROLES_CLAIM),
        v.get(OidcSetting.GROUPS_CLAIM),
        rule,
        v.get(OidcSetting.REALM));
  }

  private static AccessRule required(String what, ClaimPath claim, List<Set<String>> anyOf) {
    return new RequiredValues(what, claim, anyOf == null ? List.of() : anyOf);
  }
}
