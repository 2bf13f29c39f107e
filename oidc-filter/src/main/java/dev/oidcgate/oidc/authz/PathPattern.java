package dev.oidcgate.oidc.authz;

import java.util.Objects;

/**
 * A URL pattern relative to the context path, as configured for {@code publicPaths} and {@code
 * pathRules}: {@code *} stands for any characters (slashes included), everything else matches
 * itself, case-sensitively ({@link #folded} for a rule that ignores case). A pattern ending in
 * {@code /*} also matches the path without the slash ({@code /admin/*} matches {@code /admin}), as
 * in servlet mappings. Matched against the container's decoded, normalised path (no dot segments,
 * no {@code ;} parameters), so an encoded or dotted spelling cannot slip past a pattern. Immutable
 * and thread-safe.
 */
public final class PathPattern {

  private final String pattern;
  private final String[] parts;

  private PathPattern(String pattern) {
    this.pattern = pattern;
    this.parts = pattern.split("\\*", -1);
  }

  /**
   * @throws IllegalArgumentException when the pattern does not start with {@code /} or {@code *}
   */
  public static PathPattern of(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    String p = pattern.trim();
    if (!p.startsWith("/") && !p.startsWith("*")) {
      throw new IllegalArgumentException("a path pattern starts with /, e.g. /public/*");
    }
    if (p.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
      throw new IllegalArgumentException("a path pattern has no spaces, ? or #");
    }
    return new PathPattern(p);
  }

  /** This pattern with its text folded as {@code pathCase} folds paths. */
  public PathPattern folded(PathCase pathCase) {
    return new PathPattern(pathCase.fold(pattern));
  }

  /**
   * @param path the path under the context, starting with {@code /}
   */
  public boolean matches(String path) {
    if (pattern.endsWith("/*") && path.equals(pattern.substring(0, pattern.length() - 2))) {
      return true;
    }
    if (parts.length == 1) {
      return path.equals(pattern);
    }
    if (!path.startsWith(parts[0])) {
      return false;
    }
    int at = parts[0].length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = path.indexOf(parts[i], at);
      if (found < 0) {
        return false;
      }
      at = found + parts[i].length();
    }
    String last = parts[parts.length - 1];
    return path.length() - last.length() >= at && path.endsWith(last);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
