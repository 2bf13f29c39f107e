package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.settings.GrammarCases;
import dev.oidcgate.settings.GrammarCases.Case;
import dev.oidcgate.settings.GrammarCases.Kind;
import dev.oidcgate.settings.Placeholders;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The settings grammar shared with the filter ({@code grammar-cases.tsv} from oidc-gate-settings),
 * run through {@link ProxyConfig#fromParameters} with one key of each kind, so the proxy reads
 * values exactly as the filter does.
 */
class ProxyGrammarTableTest {

  /** A proxy key of each kind, and how to read the parsed value back. */
  private record KeyOfKind(String key, Function<ProxyConfig, Object> value) {}

  private static final Map<Kind, KeyOfKind> KEYS = keys();

  private static final Placeholders PLACEHOLDERS =
      new Placeholders(GrammarCases.ENVIRONMENT::get, GrammarCases.SYSTEM_PROPERTIES::get);

  private static Map<Kind, KeyOfKind> keys() {
    Map<Kind, KeyOfKind> keys = new LinkedHashMap<>();
    keys.put(Kind.DURATION, new KeyOfKind("connectTimeout", ProxyConfig::connectTimeout));
    keys.put(Kind.BOOL, new KeyOfKind("preserveHost", ProxyConfig::preserveHost));
    keys.put(Kind.POSITIVE_INT, new KeyOfKind("maxConnections", ProxyConfig::maxConnections));
    keys.put(Kind.LIST, new KeyOfKind("trustedProxies", c -> c.trustedProxies().entries()));
    keys.put(Kind.HTTP_URI, new KeyOfKind("targetUri", ProxyConfig::targetUri));
    keys.put(Kind.PLACEHOLDER, new KeyOfKind("targetUri", ProxyConfig::targetUri));
    keys.put(
        Kind.INSTANCE_OF,
        new KeyOfKind(
            "upstreamRequestCustomizer", c -> c.upstreamRequestCustomizer().getClass().getName()));
    return keys;
  }

  static Stream<Case> cases() {
    return GrammarCases.load().stream().filter(c -> KEYS.containsKey(c.kind()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyRowReadsAsTheTableSays(Case c) {
    KeyOfKind key = KEYS.get(c.kind());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("targetUri", "http://u");
    params.put(key.key(), c.text());
    if (c.isError()) {
      assertThatThrownBy(() -> ProxyConfig.fromParameters(params, PLACEHOLDERS))
          .as(c.toString())
          .isInstanceOf(ProxyConfigException.class)
          .hasMessageStartingWith(key.key() + ": " + c.error());
    } else {
      ProxyConfig config = ProxyConfig.fromParameters(params, PLACEHOLDERS);
      assertThat(String.valueOf(key.value().apply(config)))
          .as(c.toString())
          .isEqualTo(c.expected());
    }
  }

  @Test
  void onlyWordsHaveNoProxyKey() {
    assertThat(Arrays.stream(Kind.values()).filter(k -> !KEYS.containsKey(k)))
        .containsExactly(Kind.WORDS);
  }
}
