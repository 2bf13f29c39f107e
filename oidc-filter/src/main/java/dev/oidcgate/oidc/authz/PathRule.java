package dev.oidcgate.oidc.authz;

import dev.oidcgate.oidc.upstream.UpstreamToken;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What one path demands beyond the filter-wide rules: for requests whose method is among {@code
 * methods} (all methods when empty) and whose path matches {@code pattern}, {@code rule} must allow
 * the caller. {@code GET} covers {@code HEAD}: servlets and most frameworks answer a {@code HEAD}
 * with their {@code GET} handler. Immutable.
 *
 * @param methods upper-case HTTP methods; empty for any
 * @param pattern the paths under the context it covers
 * @param rule what the caller's claims must satisfy
 * @param stepUp how strong and recent the login must be
 * @param issuers the issuers whose callers the line admits, as written ({@code issuer=}: names,
 *     issuer URLs or {@code any}); empty for the filter's default ({@code ruleIssuers})
 * @param text the rule as configured, for log lines
 * @param upstream which token goes upstream on this line's paths ({@code upstream_token=} and its
 *     target words); {@link UpstreamToken#INHERIT} for the filter-wide choice
 */
public record PathRule(
    Set<String> methods,
    PathPattern pattern,
    AccessRule rule,
    StepUp stepUp,
    Set<String> issuers,
    String text,
    UpstreamToken upstream) {

  /** A line that says nothing about the upstream token. */
  public PathRule(
      Set<String> methods,
      PathPattern pattern,
      AccessRule rule,
      StepUp stepUp,
      Set<String> issuers,
      String text) {
    this(methods, pattern, rule, stepUp, issuers, text, UpstreamToken.INHERIT);
  }

  public PathRule {
    Set<String> covered = new HashSet<>(methods);
    if (covered.contains("GET")) {
      covered.add("HEAD");
    }
    methods = Set.copyOf(covered);
    issuers = Set.copyOf(issuers);
    Objects.requireNonNull(pattern);
    Objects.requireNonNull(rule);
    Objects.requireNonNull(stepUp);
    Objects.requireNonNull(text);
    Objects.requireNonNull(upstream);
  }

  /** This rule with its pattern folded as {@code pathCase} folds paths. */
  PathRule folded(PathCase pathCase) {
    return new PathRule(methods, pattern.folded(pathCase), rule, stepUp, issuers, text, upstream);
  }

  /**
   * @param path the path, folded as this rule's pattern is
   */
  public boolean applies(String method, String path) {
    return (methods.isEmpty() || methods.contains(method.toUpperCase(Locale.ROOT)))
        && pattern.matches(path);
  }
}
