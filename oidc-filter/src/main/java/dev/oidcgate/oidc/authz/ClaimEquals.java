package dev.oidcgate.oidc.authz;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A rule that claims have given values: a string, number or boolean claim equal to the value's
 * text, or an array containing it ({@code hd=example.com}, {@code email_verified=true}). All must
 * hold. Immutable and thread-safe.
 */
public final class ClaimEquals implements AccessRule {

  private final Map<ClaimPath, String> required;

  /**
   * @param required each claim and the text its value must have; empty for no requirement
   */
  public ClaimEquals(Map<ClaimPath, String> required) {
    this.required = new LinkedHashMap<>(required);
  }

  @Override
  public Optional<String> deny(Map<String, Object> claims) {
    for (Map.Entry<ClaimPath, String> r : required.entrySet()) {
      if (!holds(r.getKey().resolve(claims), r.getValue())) {
        return Optional.of("The token's " + r.getKey() + " claim is not the required value");
      }
    }
    return Optional.empty();
  }

  private static boolean holds(Object claim, String value) {
    if (claim instanceof String || claim instanceof Number || claim instanceof Boolean) {
      return claim.toString().equals(value);
    }
    if (claim instanceof Collection) {
      for (Object item : (Collection<?>) claim) {
        if (item != null && item.toString().equals(value)) {
          return true;
        }
      }
    }
    return false;
  }
}
