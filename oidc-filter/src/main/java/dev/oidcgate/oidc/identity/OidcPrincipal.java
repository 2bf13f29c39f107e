package dev.oidcgate.oidc.identity;

import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller as the app sees it through {@code getUserPrincipal()}: a name from the
 * configured claim, the issuer that vouches for it, the verified claims, and the roles and groups
 * that {@code isUserInRole} answers from. With several issuers ({@code additionalIssuers}) the name
 * alone does not tell two callers apart: each issuer can mint any {@code sub}; the pair of issuer
 * and name does. A machine (a client-credentials token, without {@code sub}) is named as its client
 * and marked by {@link #isClient()}, never taken for a user. Immutable.
 */
public final class OidcPrincipal implements Principal {

  private final String name;
  private final String issuer;
  private final Map<String, Object> claims;
  private final Set<String> roles;
  private final boolean client;

  /** A caller of the issuer its claims' {@code iss} names (empty when they name none). */
  public OidcPrincipal(String name, Map<String, Object> claims, Set<String> roles) {
    this(
        name, claims.get("iss") instanceof String ? (String) claims.get("iss") : "", claims, roles);
  }

  /**
   * @param issuer the identifier of the issuer the caller was verified at
   */
  public OidcPrincipal(String name, String issuer, Map<String, Object> claims, Set<String> roles) {
    this(name, issuer, claims, roles, false);
  }

  /**
   * @param client whether the caller is a client acting for itself (named by its client id), not a
   *     user
   */
  public OidcPrincipal(
      String name, String issuer, Map<String, Object> claims, Set<String> roles, boolean client) {
    this.client = client;
    this.name = Objects.requireNonNull(name, "name");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.claims = Map.copyOf(claims);
    this.roles = Set.copyOf(roles);
  }

  @Override
  public String getName() {
    return name;
  }

  /** The identifier of the issuer that vouches for this caller. */
  public String issuer() {
    return issuer;
  }

  /** The verified claims, unmodifiable. */
  public Map<String, Object> claims() {
    return claims;
  }

  /** The values of the roles claim and the groups claim together. */
  public Set<String> roles() {
    return roles;
  }

  /**
   * Whether this caller is a client acting for itself (client credentials, no user): then {@link
   * #getName()} is its client id.
   */
  public boolean isClient() {
    return client;
  }

  @Override
  public String toString() {
    return "OidcPrincipal[" + (client ? "client " : "") + name + "]";
  }
}
