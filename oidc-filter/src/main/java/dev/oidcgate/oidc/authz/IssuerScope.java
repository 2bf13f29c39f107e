package dev.oidcgate.oidc.authz;

import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The issuers whose callers a rule admits: a rule written for one issuer's users (a role, a group,
 * an e-mail domain, a subject) says nothing about another issuer's, which can mint any of them.
 * Immutable and thread-safe.
 */
public final class IssuerScope {

  /** Every issuer the filter accepts tokens of. */
  public static final IssuerScope ANY = new IssuerScope(null);

  private final @Nullable Set<String> issuers; // null for any

  private IssuerScope(@Nullable Set<String> issuers) {
    this.issuers = issuers;
  }

  /**
   * @param issuers issuer identifiers, as the filter's configuration holds them
   */
  public static IssuerScope of(Set<String> issuers) {
    return new IssuerScope(Set.copyOf(issuers));
  }

  /**
   * @param issuer the identifier of the issuer the caller was verified at
   */
  public boolean admits(String issuer) {
    return issuers == null || issuers.contains(issuer);
  }

  /** The issuers both admit. */
  public IssuerScope and(IssuerScope other) {
    if (issuers == null) {
      return other;
    }
    if (other.issuers == null) {
      return this;
    }
    Set<String> both = new HashSet<>(issuers);
    both.retainAll(other.issuers);
    return new IssuerScope(Set.copyOf(both));
  }

  @Override
  public String toString() {
    return issuers == null ? "any" : issuers.toString();
  }
}
