package dev.oidcgate.oidc.authz;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a claim as a set of words: a space-separated string ({@code scope}) or an array of strings.
 */
public final class ClaimValues {

  private ClaimValues() {}

  /** The claim's values; empty when the claim is absent or is neither a string nor an array. */
  public static Set<String> of(Object claim) {
    Set<String> out = new LinkedHashSet<>();
    if (claim instanceof String) {
      for (String word : ((String) claim).split(" ")) {
        if (!word.isEmpty()) {
          out.add(word);
        }
      }
    } else if (claim instanceof Collection) {
      for (Object item : (Collection<?>) claim) {
        if (item instanceof String || item instanceof Number || item instanceof Boolean) {
          out.add(item.toString());
        }
      }
    }
    return out;
  }
}
