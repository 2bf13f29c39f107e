package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.settings.Placeholders;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyConfigTest {

  private static final Placeholders PLACEHOLDERS =
      new Placeholders(
          name ->
              Map.of("UPSTREAM_URL", "http://upstream.internal:8080", "PROXIES", "10.0.0.0/8")
                  .get(name),
          name -> Map.of("proxy.timeout", "750ms").get(name));

  private static ProxyConfig parse(String... keyValues) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return ProxyConfig.fromParameters(params, PLACEHOLDERS);
  }

  @Test
  void onlyTargetUriIsRequiredAndDefaultsAreSafe() {
    ProxyConfig config = parse("targetUri", "http://localhost:8080");

    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.poolTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxConnections()).isEqualTo(100);
    assertThat(config.maxConnectionsPerRoute()).isEqualTo(100);
    assertThat(config.preserveHost()).isFalse();
    assertThat(config.trustedProxies().contains("127.0.0.1")).isFalse();
    assertThat(config.upstreamRequestCustomizer()).isSameAs(UpstreamRequestCustomizer.NONE);
  }

  @Test
  void everyInitParameterIsABuilderMethodOfTheSameName() {
    for (String key : ProxyConfig.keys()) {
      assertThat(Arrays.stream(ProxyConfigBuilder.class.getMethods()).map(Method::getName))
          .as("builder method for init-param " + key)
          .contains(key);
    }
  }

  @Test
  void initParametersAndBuilderGiveTheSameConfig() {
    ProxyConfig fromParams =
        parse(
            "targetUri",
            "https://api.example/base",
            "connectTimeout",
            "2s",
            "responseTimeout",
            "PT1M",
            "maxConnections",
            "20",
            "maxConnectionsPerRoute",
            "10",
            "preserveHost",
            "TRUE");
    ProxyConfig fromCode =
        ProxyConfig.builder()
            .targetUri("https://api.example/base")
            .connectTimeout(Duration.ofSeconds(2))
            .responseTimeout(Duration.ofMinutes(1))
            .maxConnections(20)
            .maxConnectionsPerRoute(10)
            .preserveHost(true)
            .build();

    assertThat(fromParams.toString()).isEqualTo(fromCode.toString());
  }

  @ParameterizedTest
  @CsvSource({
    "5s, PT5S",
    "500ms, PT0.5S",
    "2m, PT2M",
    "1h, PT1H",
    "PT5S, PT5S",
    "pt0.25s, PT0.25S",
    "' 3s ', PT3S",
    "1d, PT24H"
  })
  void durationsAcceptShortAndIsoForms(String text, String iso) {
    assertThat(parse("targetUri", "http://u", "responseTimeout", text).responseTimeout())
        .isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "connectTimeout         | 5 seconds | connectTimeout: not a duration; write e.g. 500ms, 30s, 5m, 1h or PT30S ('5 seconds')",
        "connectTimeout         | -5s       | connectTimeout: must not be negative ('-5s')",
        "responseTimeout        | 0s        | responseTimeout: must be a positive duration",
        "maxConnections         | many      | maxConnections: not a positive whole number ('many')",
        "maxConnections         | 0         | maxConnections: not a positive whole number ('0')",
        "preserveHost           | yes       | preserveHost: write true or false ('yes')",
        "trustedProxies         | proxy.lan | trustedProxies: 'proxy.lan' is not an IP address",
        "trustedProxies         | 10.0.0.0/33 | trustedProxies: '10.0.0.0/33' has an invalid prefix length",
        "upstreamRequestCustomizer | com.example.Missing | upstreamRequestCustomizer: cannot create an instance (ClassNotFoundException)",
        "maxConnectionsPerRoute | 500       | maxConnectionsPerRoute: 500 exceeds maxConnections 100",
      })
  void malformedValueFailsNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> parse("targetUri", "http://u", key, value))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(((ProxyConfigException) e).key()).isEqualTo(key));
  }

  @Test
  void aPoolSizeBelowOneGivenInCodeFailsNamingTheKey() {
    assertThatThrownBy(() -> ProxyConfig.builder().maxConnections(0))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessage("maxConnections: must be at least 1, was 0");
  }

  @Test
  void unknownKeyFailsNamingTheKey() {
    assertThatThrownBy(() -> parse("targetUri", "http://u", "connectionTimeout", "5s"))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessageStartingWith("connectionTimeout: unknown parameter");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "localhost:8080               | not an absolute http(s) URL ('localhost:8080')",
        "ftp://files.example          | not an absolute http(s) URL",
        "http://u/x?y=1               | must not have user info, a query or a fragment",
        "http://u/x#top               | must not have user info, a query or a fragment",
        "http://user:pw@u/            | must not have user info",
        "http://bad host              | not an absolute http(s) URL",
      })
  void badTargetUriFailsNamingTheKey(String uri, String problem) {
    assertThatThrownBy(() -> parse("targetUri", uri))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessageStartingWith("targetUri: ")
        .hasMessageContaining(problem);
  }

  @Test
  void aBadTargetUriGivenInCodeFailsLikeTheInitParameter() {
    assertThatThrownBy(() -> ProxyConfig.builder().targetUri("ftp://files.example"))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessage("targetUri: not an absolute http(s) URL ('ftp://files.example')");
  }

  @Test
  void missingTargetUriFailsNamingTheKey() {
    assertThatThrownBy(() -> parse("preserveHost", "true"))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessageStartingWith("targetUri: is required");
  }

  @Test
  void environmentAndSystemPlaceholdersAreResolved() {
    ProxyConfig config =
        parse(
            "targetUri",
            "${env:UPSTREAM_URL}/base",
            "responseTimeout",
            "${sys:proxy.timeout}",
            "trustedProxies",
            "${env:PROXIES}, ::1");

    assertThat(config.targetUri()).hasToString("http://upstream.internal:8080/base");
    assertThat(config.responseTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(config.trustedProxies().contains("10.9.8.7")).isTrue();
  }

  @Test
  void missingEnvironmentVariableFailsNamingKeyAndVariable() {
    assertThatThrownBy(() -> parse("targetUri", "${env:NOT_SET_ANYWHERE}"))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessage("targetUri: environment variable NOT_SET_ANYWHERE is not set");
  }

  @Test
  void aPlaceholderWithAFallbackUsesItWhenTheVariableIsUnset() {
    ProxyConfig config = parse("targetUri", "${env:NOT_SET_ANYWHERE:http://fallback.internal}/x");
    assertThat(config.targetUri()).hasToString("http://fallback.internal/x");
  }

  @Test
  void aMalformedPlaceholderFailsInsteadOfPassingThroughAsText() {
    assertThatThrownBy(() -> parse("targetUri", "http://${UPSTREAM_URL}/"))
        .isInstanceOf(ProxyConfigException.class)
        .hasMessageStartingWith("targetUri: malformed placeholder");
  }

  @Test
  void anInitParameterThatIsBlankAfterResolutionMeansTheDefault() {
    ProxyConfig config =
        parse(
            "targetUri",
            "http://u",
            "connectTimeout",
            "${env:NOT_SET_ANYWHERE:}",
            "preserveHost",
            " ");
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.preserveHost()).isFalse();
  }

  @Test
  void trustedProxiesMayBeSeparatedByLineBreaksAsInTheFilter() {
    ProxyConfig config = parse("targetUri", "http://u", "trustedProxies", "10.0.0.0/8\n ::1\n");
    assertThat(config.trustedProxies().entries()).containsExactly("10.0.0.0/8", "::1");
  }

  @Test
  void missingSystemPropertyFailsNamingKeyAndProperty() {
    assertThatThrownBy(() -> parse("targetUri", "http://u", "connectTimeout", "${sys:nope}"))
        .hasMessage("connectTimeout: system property nope is not set");
  }

  @Test
  void customizerIsCreatedFromItsClassName() {
    ProxyConfig config =
        parse("targetUri", "http://u", "upstreamRequestCustomizer", TagCustomizer.class.getName());

    assertThat(config.upstreamRequestCustomizer()).isInstanceOf(TagCustomizer.class);
  }

  @Test
  void classThatIsNoCustomizerIsRefused() {
    assertThatThrownBy(
            () ->
                parse("targetUri", "http://u", "upstreamRequestCustomizer", String.class.getName()))
        .hasMessage(
            "upstreamRequestCustomizer: does not implement"
                + " dev.oidcgate.proxy.UpstreamRequestCustomizer ('java.lang.String')");
  }

  /** Adds a header; used by name from configuration. */
  public static final class TagCustomizer implements UpstreamRequestCustomizer {
    @Override
    public void customize(
        jakarta.servlet.http.HttpServletRequest clientRequest,
        org.apache.hc.core5.http.ClassicHttpRequest upstreamRequest) {
      upstreamRequest.setHeader("X-Customized", "yes");
    }
  }
}
