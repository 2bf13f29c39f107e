package dev.oidcgate.oidc.authz;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway-style rule ({@code scopes_required}, {@code groups_required}, ...): a list of
 * alternatives, each a set of values that must all be present in the claim. Any one alternative
 * suffices; no alternatives means no requirement.
 */
public final class RequiredValues implements AccessRule {

  private final String what;
  private final ClaimPath claim;
  private final List<Set<String>> alternatives;

  /**
   * @param what what the values are, for the denial reason ("scope", "group", ...)
   * @param claim where the values are read from
   * @param alternatives the sets of which one must be fully present
   */
  public RequiredValues(String what, ClaimPath claim, List<Set<String>> alternatives) {
    this.what = what;
    this.claim = claim;
    this.alternatives = List.copyOf(alternatives);
  }

  @Override
  public Optional<String> deny(Map<String, Object> claims) {
    if (alternatives.isEmpty()) {
      return Optional.empty();
    }
    Object present = claim.resolve(claims);
    for (Set<String> required : alternatives) {
      if (ClaimValues.containsAll(present, required)) {
        return Optional.empty();
      }
    }
    return Optional.of("The token lacks the required " + what);
  }
}
