package dev.oidcgate.oidc.authz;

import java.util.List;

/**
 * Which paths are public and what the others demand, inside one filter mapping. The first {@link
 * PathRule} that applies to a request is the path's rule; a request no rule covers needs only the
 * filter-wide rules. Immutable and thread-safe.
 */
public final class PathPolicy {

  /** No public paths, no per-path rules. */
  public static final PathPolicy NONE =
      new PathPolicy(List.of(), AccessRule.ALLOW_AUTHENTICATED, List.of());

  private final List<PathPattern> publicPaths;
  private final AccessRule everywhere;
  private final List<PathRule> rules;

  /**
   * @param everywhere checked on every path before the path's own rule ({@code claimsRequired})
   */
  public PathPolicy(List<PathPattern> publicPaths, AccessRule everywhere, List<PathRule> rules) {
    this.publicPaths = List.copyOf(publicPaths);
    this.everywhere = everywhere;
    this.rules = List.copyOf(rules);
  }

  /** Whether no login is demanded at this path (a credential, if present, is still used). */
  public boolean isPublic(String path) {
    for (PathPattern p : publicPaths) {
      if (p.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** How strong and recent the login must be for this request: the first path rule's demand. */
  public StepUp stepUpFor(String method, String path) {
    for (PathRule r : rules) {
      if (r.applies(method, path)) {
        return r.stepUp();
      }
    }
    return StepUp.NONE;
  }

  /**
   * The rule for this request: the one checked everywhere, then the first path rule that applies.
   */
  public AccessRule ruleFor(String method, String path) {
    for (PathRule r : rules) {
      if (r.applies(method, path)) {
        return everywhere.and(r.rule());
      }
    }
    return everywhere;
  }
}
