package dev.oidcgate.oidc.authz;

import java.util.Objects;

/**
 * What a request's path demands of its caller besides the filter-wide rules: the access rule, and
 * the issuers whose callers may pass it at all. Immutable.
 *
 * @param rule what the caller's claims must satisfy
 * @param issuers the issuers whose callers the rules of the path admit
 */
public record PathAccess(AccessRule rule, IssuerScope issuers) {

  /** Any authenticated caller of any accepted issuer (a public path). */
  public static final PathAccess ANYONE =
      new PathAccess(AccessRule.ALLOW_AUTHENTICATED, IssuerScope.ANY);

  public PathAccess {
    Objects.requireNonNull(rule);
    Objects.requireNonNull(issuers);
  }
}
