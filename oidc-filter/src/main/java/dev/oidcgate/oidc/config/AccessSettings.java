package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.authz.RequiredValues;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
  public static final OidcSetting<ClaimPath> AUDIENCE_CLAIM =
      OidcSetting.define(
          "audienceClaim",
          "aud",
          "The claim that holds the audience; `client_id` for Amazon Cognito access tokens.",
          ClaimPath::of);
  public static final OidcSetting<ClaimPath> PRINCIPAL_CLAIM =
      OidcSetting.define(
          "principalClaim",
          "sub",
          "The claim whose value `getUserPrincipal().getName()` and `getRemoteUser()` return.",
          ClaimPath::of);
  public static final OidcSetting<List<Set<String>>> SCOPES_REQUIRED =
      OidcSetting.define(
          "scopesRequired",
          null,
          "Access rule: comma-separated alternatives, each a space-separated set of scopes that"
              + " must all be present.",
          SettingTypes::alternatives);
  public static final OidcSetting<ClaimPath> SCOPES_CLAIM =
      OidcSetting.define(
          "scopesClaim",
          "scope",
          "The claim that holds the scopes (a space-separated string or an array; `scp` for Entra"
              + " ID).",
          ClaimPath::of);
  public static final OidcSetting<List<Set<String>>> AUDIENCE_REQUIRED =
      OidcSetting.define(
          "audienceRequired",
          null,
          "Access rule on `audienceClaim`, in the same form as `scopesRequired`.",
          SettingTypes::alternatives);
  public static final OidcSetting<List<Set<String>>> GROUPS_REQUIRED =
      OidcSetting.define(
          "groupsRequired",
          null,
          "Access rule on `groupsClaim`, in the same form as `scopesRequired`.",
          SettingTypes::alternatives);
  public static final OidcSetting<ClaimPath> GROUPS_CLAIM =
      OidcSetting.define(
          "groupsClaim",
          "groups",
          "The claim that holds the groups; may be a dotted path. `cognito:groups` for Amazon"
              + " Cognito.",
          ClaimPath::of);
  public static final OidcSetting<List<Set<String>>> ROLES_REQUIRED =
      OidcSetting.define(
          "rolesRequired",
          null,
          "Access rule on `rolesClaim`, in the same form as `scopesRequired`.",
          SettingTypes::alternatives);
  public static final OidcSetting<ClaimPath> ROLES_CLAIM =
      OidcSetting.define(
          "rolesClaim",
          "roles",
          "The claim that holds the roles; may be a dotted path, or several separated by commas"
              + " (their values together). The `keycloak` profile reads `realm_access.roles,"
              + " resource_access.<clientId>.roles`.",
          ClaimPath::of);
  public static final OidcSetting<String> REALM =
      OidcSetting.define(
          "realm", "oidc-gate", "The `realm` in `WWW-Authenticate` challenges.", String::trim);

  public AccessSettings {
    Objects.requireNonNull(principalClaim);
    Objects.requireNonNull(rolesClaim);
    Objects.requireNonNull(groupsClaim);
    Objects.requireNonNull(rule);
    Objects.requireNonNull(realm);
  }

  static AccessSettings from(SettingValues v, AccessRule extraRule) {
    AccessRule rule =
        required("scope", v.get(SCOPES_CLAIM), v.get(SCOPES_REQUIRED))
            .and(required("audience", v.get(AUDIENCE_CLAIM), v.get(AUDIENCE_REQUIRED)))
            .and(required("group", v.get(GROUPS_CLAIM), v.get(GROUPS_REQUIRED)))
            .and(required("role", v.get(ROLES_CLAIM), v.get(ROLES_REQUIRED)))
            .and(extraRule);
    return new AccessSettings(
        v.get(PRINCIPAL_CLAIM), v.get(ROLES_CLAIM), v.get(GROUPS_CLAIM), rule, v.get(REALM));
  }

  private static AccessRule required(
      String what, ClaimPath claim, @Nullable List<Set<String>> anyOf) {
    return new RequiredValues(what, claim, anyOf == null ? List.of() : anyOf);
  }
}
