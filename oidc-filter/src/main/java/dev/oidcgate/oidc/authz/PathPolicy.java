package dev.oidcgate.oidc.authz;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which paths are public and what the others demand, inside one filter mapping. The first {@link
 * PathRule} that applies to a request is the path's rule; a request no rule covers needs only the
 * filter-wide rules. Rules compare paths as {@link PathCase} says; public paths always compare
 * exactly, case included: a case variant of a public path may be another page to an upstream that
 * routes by case, so folding could only make more public. Immutable and thread-safe.
 */
public final class PathPolicy {

  /** No public paths, no per-path rules. */
  public static final PathPolicy NONE =
      new PathPolicy(List.of(), AccessRule.ALLOW_AUTHENTICATED, List.of(), PathCase.INSENSITIVE);

  private final List<PathPattern> publicPaths;
  private final AccessRule everywhere;
  private final List<PathRule> rules;
  private final PathCase pathCase;

  /**
   * @param everywhere checked on every path before the path's own rule ({@code claimsRequired})
   * @param pathCase how rules compare paths
   */
  public PathPolicy(
      List<PathPattern> publicPaths,
      AccessRule everywhere,
      List<PathRule> rules,
      PathCase pathCase) {
    this.publicPaths = List.copyOf(publicPaths);
    this.everywhere = everywhere;
    List<PathRule> folded = new ArrayList<>();
    for (PathRule r : rules) {
      folded.add(r.folded(pathCase));
    }
    this.rules = List.copyOf(folded);
    this.pathCase = pathCase;
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

  /** The path rules, in order, their patterns folded as paths are compared. */
  public List<PathRule> rules() {
    return rules;
  }

  /** The rule checked on every path that is not public ({@code claimsRequired}). */
  public AccessRule everywhere() {
    return everywhere;
  }

  /**
   * The path rules that apply to a request for this path by any of these methods: per method, the
   * first line that applies; each line once.
   *
   * @param methods upper-case HTTP methods: the request's, and any it claims to stand for
   */
  public List<PathRule> rulesFor(Collection<String> methods, String path) {
    String compared = pathCase.fold(path);
    List<PathRule> out = new ArrayList<>(1);
    for (String method : methods) {
      for (PathRule r : rules) {
        if (r.applies(method, compared)) {
          if (!out.contains(r)) {
            out.add(r);
          }
          break;
        }
      }
    }
    return out;
  }

  /** How strong and recent the login must be for this request: the first path rule's demand. */
  public StepUp stepUpFor(String method, String path) {
    List<PathRule> r = rulesFor(List.of(method), path);
    return r.isEmpty() ? StepUp.NONE : r.get(0).stepUp();
  }

  /**
   * The rule for this request: the one checked everywhere, then the first path rule that applies.
   */
  public AccessRule ruleFor(String method, String path) {
    AccessRule rule = everywhere;
    for (PathRule r : rulesFor(List.of(method), path)) {
      rule = rule.and(r.rule());
    }
    return rule;
  }
}
