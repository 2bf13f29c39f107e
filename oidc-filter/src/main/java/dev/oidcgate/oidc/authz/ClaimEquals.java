package dev.oidcgate.oidc.authz;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A claim must equal one of the given values ({@code email_verified=true}, Google's {@code
 * hd=example.com}, {@code acr=...}); an array claim passes when one of its items does. Strings,
 * numbers and booleans compare by their text. Immutable and thread-safe.
 */
public final class ClaimEquals implements AccessRule {

  private final ClaimPath claim;
  private final Set<String> allowed;

  /**
   * @param allowed the values of which the claim must equal one; not empty
   */
  public ClaimEquals(ClaimPath claim, Set<String> allowed) {
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("name at least one value");
    }
    this.claim = claim;
    this.allowed = Set.copyOf(allowed);
  }

  @Override
  public Optional<String> deny(Map<String, Object> claims) {
    Object value = claim.resolve(claims);
    if (value instanceof Collection) {
      for (Object item : (Collection<?>) value) {
        if (isAllowed(item)) {
          return Optional.empty();
        }
      }
    } else if (isAllowed(value)) {
      return Optional.empty();
    }
    return Optional.of("The token's " + claim.name() + " claim is not an accepted value");
  }

  private boolean isAllowed(@Nullable Object value) {
    return (value instanceof String || value instanceof Number || value instanceof Boolean)
        && allowed.contains(value.toString());
  }
}
