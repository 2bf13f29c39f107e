package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.config.OidcSetting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The filter's configuration on hostile input: {@link OidcConfig#fromInitParams} on an arbitrary
 * map of init-params. Property: either a configuration comes out, or an {@link OidcConfigException}
 * whose key is a real parameter or one of the map's keys and whose message starts with that key;
 * nothing else escapes, and the client secret is never quoted.
 *
 * <p>Input: a flag byte (bit 0: add a valid issuer, client id and secret first, so validation gets
 * past the required keys), then NUL-separated {@code key=value} pairs; a key written {@code #n}
 * means the n-th known key (modulo their number), so the fuzzer reaches every key without a
 * dictionary. docs/fuzzing.md.
 */
class OidcConfigFuzzTest {

  static final int MODES = 2;
  private static final List<String> KEYS =
      OidcSetting.values().stream().map(OidcSetting::key).toList();
  private static final Set<String> KNOWN = Set.copyOf(KEYS);

  @FuzzTest
  void onlyTheConfigurationExceptionEscapesAndItNamesTheKey(byte[] input) {
    FuzzInput in = FuzzInput.of(input, MODES);
    Map<String, String> params = new LinkedHashMap<>();
    if (in.mode() == 1) {
      params.put("issuer", FuzzProvider.ISSUER);
      params.put("clientId", FuzzProvider.CLIENT_ID);
      params.put("clientSecret", FuzzProvider.CLIENT_SECRET);
    }
    in.pairs().forEach((k, v) -> params.put(key(k), v));
    try {
      OidcConfig config = OidcConfig.fromInitParams(params);
      assertThat(config).isNotNull();
    } catch (OidcConfigException e) {
      assertThat(e.key()).isIn(union(params.keySet()));
      assertThat(e.getMessage()).startsWith(e.key() + ": ");
      String secret = params.get("clientSecret");
      if (secret != null && secret.strip().length() >= 8) {
        assertThat(e.getMessage()).doesNotContain(secret.strip());
      }
    }
  }

  static String key(String written) {
    if (written.startsWith("#") && written.length() > 1) {
      try {
        return KEYS.get(Math.floorMod(Integer.parseInt(written.substring(1)), KEYS.size()));
      } catch (NumberFormatException e) {
        return written;
      }
    }
    return written;
  }

  private static Set<String> union(Set<String> given) {
    return java.util.stream.Stream.concat(KNOWN.stream(), given.stream())
        .collect(Collectors.toSet());
  }
}
