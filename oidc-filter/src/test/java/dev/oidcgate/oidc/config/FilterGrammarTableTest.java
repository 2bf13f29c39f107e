package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.settings.GrammarCases;
import dev.oidcgate.settings.GrammarCases.Case;
import dev.oidcgate.settings.GrammarCases.Kind;
import dev.oidcgate.settings.Placeholders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The settings grammar shared with the proxy ({@code grammar-cases.tsv} from oidc-gate-settings),
 * run through {@link OidcConfig#fromInitParams} with one key of each kind, so the filter reads
 * values exactly as the proxy does.
 */
class FilterGrammarTableTest {

  /** A filter key of each kind, and how to read the parsed value back. */
  private record KeyOfKind(String key, BiFunction<OidcConfig, Case, Object> value) {}

  private static final String CLIENT_ID = "client-id-of-no-row";

  private static final Map<Kind, KeyOfKind> KEYS = keys();

  private static final Placeholders PLACEHOLDERS =
      new Placeholders(GrammarCases.ENVIRONMENT::get, GrammarCases.SYSTEM_PROPERTIES::get);

  private static Map<Kind, KeyOfKind> keys() {
    Map<Kind, KeyOfKind> keys = new LinkedHashMap<>();
    keys.put(Kind.DURATION, new KeyOfKind("clockSkew", (c, r) -> c.tokens().clockSkew()));
    keys.put(Kind.BOOL, new KeyOfKind("sessionCookieHttpOnly", (c, r) -> c.cookies().httpOnly()));
    keys.put(
        Kind.POSITIVE_INT, new KeyOfKind("maxTokenLength", (c, r) -> c.tokens().maxTokenLength()));
    keys.put(Kind.LIST, new KeyOfKind("audience", FilterGrammarTableTest::audienceAsWritten));
    keys.put(Kind.WORDS, new KeyOfKind("scopes", FilterGrammarTableTest::scopesAsWritten));
    keys.put(
        Kind.HTTP_URI,
        new KeyOfKind("introspectionEndpoint", (c, r) -> c.tokens().introspectionEndpoint().get()));
    keys.put(
        Kind.PLACEHOLDER,
        new KeyOfKind("introspectionEndpoint", (c, r) -> c.tokens().introspectionEndpoint().get()));
    keys.put(
        Kind.INSTANCE_OF,
        new KeyOfKind(
            "eventListener", (c, r) -> c.extensions().eventListener().getClass().getName()));
    return keys;
  }

  /** An empty audience falls back to the client id; leave that out to compare the list. */
  private static Object audienceAsWritten(OidcConfig config, Case row) {
    List<String> audience = config.tokens().audience();
    return audience.equals(List.of(CLIENT_ID)) ? List.of() : audience;
  }

  /** The filter always asks for {@code openid}; leave out what it added to compare the rest. */
  private static Object scopesAsWritten(OidcConfig config, Case row) {
    List<String> scopes = new ArrayList<>(config.login().scopes());
    if (!row.text().contains("openid")) {
      scopes.remove("openid");
    }
    return scopes;
  }

  static Stream<Case> cases() {
    return GrammarCases.load().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyRowReadsAsTheTableSays(Case row) {
    KeyOfKind key = KEYS.get(row.kind());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("issuer", "https://idp.example.com");
    params.put("clientId", CLIENT_ID);
    params.put("clientSecret", "secret");
    params.put(key.key(), row.text());
    if (row.isError()) {
      assertThatThrownBy(() -> OidcConfig.fromInitParams(params, PLACEHOLDERS))
          .as(row.toString())
          .isInstanceOf(OidcConfigException.class)
          .hasMessageStartingWith(key.key() + ": " + row.error());
    } else {
      OidcConfig config = OidcConfig.fromInitParams(params, PLACEHOLDERS);
      assertThat(String.valueOf(key.value().apply(config, row)))
          .as(row.toString())
          .isEqualTo(row.expected());
    }
  }

  @Test
  void everyKindHasAFilterKey() {
    assertThat(Arrays.stream(Kind.values()).filter(k -> !KEYS.containsKey(k))).isEmpty();
  }
}
