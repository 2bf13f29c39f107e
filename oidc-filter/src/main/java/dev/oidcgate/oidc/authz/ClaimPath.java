package dev.oidcgate.oidc.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The name of a claim, which may be a dotted path into nested objects ({@code realm_access.roles}
 * in Keycloak tokens). A claim whose own name contains dots (Auth0's namespaced {@code
 * https://example.com/roles}) is found too: the whole name is tried before the path is split.
 * Several names separated by commas ({@code realm_access.roles, resource_access.my-app.roles}) are
 * read as one claim holding the values of each. Immutable and thread-safe.
 */
public final class ClaimPath {

  private final String name;
  private final List<String> segments;
  private final List<ClaimPath> parts;

  private ClaimPath(String name, List<ClaimPath> parts) {
    this.name = name;
    this.segments = List.of(name.split("\\."));
    this.parts = parts;
  }

  /**
   * @throws IllegalArgumentException when the name, or one of several, is blank
   */
  public static ClaimPath of(String name) {
    Objects.requireNonNull(name, "name");
    if (name.contains(",")) {
      List<ClaimPath> parts = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String part : name.split(",")) {
        ClaimPath p = of(part);
        parts.add(p);
        names.add(p.name);
      }
      return new ClaimPath(String.join(", ", names), List.copyOf(parts));
    }
    String trimmed = name.trim();
    if (trimmed.isEmpty() || trimmed.startsWith(".") || trimmed.endsWith(".")) {
      throw new IllegalArgumentException("not a claim name");
    }
    return new ClaimPath(trimmed, List.of());
  }

  /**
   * The claim's value, or {@code null} when the token does not have it. For several names, the
   * values of those present as one list (a space-separated string read as its words).
   */
  public @Nullable Object resolve(Map<String, ?> claims) {
    if (!parts.isEmpty()) {
      List<String> values = new ArrayList<>();
      boolean found = false;
      for (ClaimPath part : parts) {
        Object value = part.resolve(claims);
        found |= value != null;
        values.addAll(ClaimValues.of(value));
      }
      return found ? values : null;
    }
    Object whole = claims.get(name);
    if (whole != null || segments.size() == 1) {
      return whole;
    }
    Object current = claims;
    for (int i = 0; i < segments.size(); i++) { // no iterator: this runs on every request
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<?, ?>) current).get(segments.get(i));
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
