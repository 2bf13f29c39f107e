package dev.oidcgate.oidc.authz;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a claim as a set of words: a space-separated string ({@code scope}) or an array of strings.
 */
public final class ClaimValues {

  private ClaimValues() {}

  /** The claim's values; empty when the claim is absent or is neither a string nor an array. */
  public static Set<String> of(@Nullable Object claim) {
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

  /**
   * Whether every one of {@code values} is among the claim's values: {@code of(claim)
   * .containsAll(values)}, without building the set. Access rules ask this on every request.
   */
  public static boolean containsAll(@Nullable Object claim, Set<String> values) {
    for (String value : values) {
      if (!contains(claim, value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(@Nullable Object claim, String value) {
    if (claim instanceof String) {
      return containsWord((String) claim, value);
    }
    if (claim instanceof Collection) {
      for (Object item : (Collection<?>) claim) {
        if ((item instanceof String || item instanceof Number || item instanceof Boolean)
            && value.equals(item.toString())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code word} is one of the space-separated words of {@code text}. */
  private static boolean containsWord(String text, String word) {
    if (word.isEmpty() || word.indexOf(' ') >= 0) {
      return false; // no word of a split has either
    }
    for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      int end = i + word.length();
      if ((i == 0 || text.charAt(i - 1) == ' ')
          && (end == text.length() || text.charAt(end) == ' ')) {
        return true;
      }
    }
    return false;
  }
}
