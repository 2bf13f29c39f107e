package dev.oidcgate.oidc.authz;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The name of a claim, which may be a dotted path into nested objects ({@code realm_access.roles}
 * in Keycloak tokens). A claim whose own name contains dots (Auth0's namespaced {@code
 * https://example.com/roles}) is found too: the whole name is tried before the path is split.
 * Immutable and thread-safe.
 */
public final class ClaimPath {

  private final String name;
  private final List<String> segments;

  private ClaimPath(String name) {
    this.name = name;
    this.segments = List.of(name.split("\\."));
  }

  /**
   * @throws IllegalArgumentException when the name is blank
   */
  public static ClaimPath of(String name) {
    Objects.requireNonNull(name, "name");
    String trimmed = name.trim();
    if (trimmed.isEmpty() || trimmed.startsWith(".") || trimmed.endsWith(".")) {
      throw new IllegalArgumentException("not a claim name");
    }
    return new ClaimPath(trimmed);
  }

  /** The claim's value, or {@code null} when the token does not have it. */
  public Object resolve(Map<String, ?> claims) {
    if (claims.containsKey(name)) {
      return claims.get(name);
    }
    Object current = claims;
    for (String segment : segments) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<?, ?>) current).get(segment);
    }
    return current;
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClaimPath && ((ClaimPath) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
