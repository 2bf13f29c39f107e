package dev.oidcgate.oidc.identity;

import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller as the app sees it through {@code getUserPrincipal()}: a name from the
 * configured claim, the verified claims, and the roles and groups that {@code isUserInRole} answers
 * from. Immutable.
 */
public final class OidcPrincipal implements Principal {

  private final String name;
  private final Map<String, Object> claims;
  private final Set<String> roles;

  public OidcPrincipal(String name, Map<String, Object> claims, Set<String> roles) {
    this.name = Objects.requireNonNull(name, "name");
    this.claims = Map.copyOf(claims);
    this.roles = Set.copyOf(roles);
  }

  @Override
  public String getName() {
    return name;
  }

  /** The verified claims, unmodifiable. */
  public Map<String, Object> claims() {
    return claims;
  }

  /** The values of the roles claim and the groups claim together. */
  public Set<String> roles() {
    return roles;
  }

  @Override
  public String toString() {
    return "OidcPrincipal[" + name + "]";
  }
}
