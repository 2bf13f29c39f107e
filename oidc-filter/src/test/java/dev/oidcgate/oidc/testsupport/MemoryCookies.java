package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.testlogs.SecretLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A browser's cookie jar without a container: what a store sets is what the next request sends.
 * Remembers each cookie's {@code Max-Age} and reach so tests can assert on them. Tests may plant
 * extra values under one name, as a cookie-tossing attacker would. Not thread-safe.
 */
public final class MemoryCookies implements SessionCookies {

  /** One cookie as set by the code under test. */
  public record Written(String value, Duration maxAge, Reach reach) {}

  private final Map<String, List<String>> sent = new LinkedHashMap<>();
  private final Map<String, Written> set = new LinkedHashMap<>();

  /** Adds a value under {@code name}, after those already there. */
  public MemoryCookies plant(String name, String value) {
    sent.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  /** Replaces every value of {@code name}. */
  public MemoryCookies replace(String name, String value) {
    sent.put(name, new ArrayList<>(List.of(value)));
    return this;
  }

  public void remove(String name) {
    sent.remove(name);
  }

  /** The names of the cookies the browser holds, in the order they were first set. */
  public List<String> names() {
    return new ArrayList<>(sent.keySet());
  }

  /** The attributes the cookie was last set with, empty when it never was. */
  public Optional<Written> lastSet(String name) {
    return Optional.ofNullable(set.get(name));
  }

  @Override
  public Optional<String> get(String name) {
    List<String> values = sent.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  @Override
  public List<String> getAll(String name) {
    return List.copyOf(sent.getOrDefault(name, List.of()));
  }

  @Override
  public Map<String, String> startingWith(String prefix) {
    Map<String, String> found = new LinkedHashMap<>();
    sent.forEach(
        (name, values) -> {
          if (name.startsWith(prefix) && !values.isEmpty()) {
            found.put(name, values.get(0));
          }
        });
    return found;
  }

  @Override
  public void set(String name, String value, Duration maxAge, Reach reach) {
    SecretLedger.record("cookie value", value);
    replace(name, value);
    set.put(name, new Written(value, maxAge, reach));
  }

  @Override
  public void clear(String name) {
    sent.remove(name);
  }
}
