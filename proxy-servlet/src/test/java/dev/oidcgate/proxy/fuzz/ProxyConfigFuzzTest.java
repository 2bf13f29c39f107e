package dev.oidcgate.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.proxy.ProxyConfig;
import dev.oidcgate.proxy.ProxyConfigException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy's configuration on hostile input: {@link ProxyConfig#fromParameters} on an arbitrary
 * map of init-params. Property: either a configuration comes out (with an absolute http(s) target
 * without query or fragment), or a {@link ProxyConfigException} whose key is a real parameter or
 * one of the map's keys and whose message starts with it; nothing else escapes.
 *
 * <p>Input: a flag byte (bit 0: add a valid {@code targetUri} first), then NUL-separated {@code
 * key=value} pairs; a key {@code #n} means the n-th known key. docs/fuzzing.md.
 */
class ProxyConfigFuzzTest {

  private static final List<String> KEYS = List.copyOf(ProxyConfig.keys());

  @FuzzTest
  void onlyTheConfigurationExceptionEscapesAndItNamesTheKey(byte[] input) {
    Map<String, String> params = new LinkedHashMap<>();
    if (input.length > 0 && (input[0] & 1) != 0) {
      params.put("targetUri", "http://upstream.example:8080/base");
    }
    String text =
        input.length == 0 ? "" : new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    for (String field : text.split("\0", -1)) {
      int eq = field.indexOf('=');
      String key = key(eq < 0 ? field : field.substring(0, eq));
      params.putIfAbsent(key, eq < 0 ? "" : field.substring(eq + 1));
    }
    try {
      ProxyConfig config = ProxyConfig.fromParameters(params);
      assertThat(config.targetUri().getScheme().toLowerCase(java.util.Locale.ROOT))
          .isIn("http", "https");
      assertThat(config.targetUri().getHost()).isNotNull();
      assertThat(config.targetUri().getRawQuery()).isNull();
      assertThat(config.targetUri().getRawFragment()).isNull();
    } catch (ProxyConfigException e) {
      assertThat(KEYS.contains(e.key()) || params.containsKey(e.key()))
          .as("names a key: %s", e.getMessage())
          .isTrue();
      assertThat(e.getMessage()).startsWith(e.key() + ": ");
    }
  }

  private static String key(String written) {
    if (written.startsWith("#") && written.length() > 1) {
      try {
        return KEYS.get(Math.floorMod(Integer.parseInt(written.substring(1)), KEYS.size()));
      } catch (NumberFormatException e) {
        return written;
      }
    }
    return written;
  }
}
