package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import dev.oidcgate.settings.Placeholders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OidcConfigTest {

  private static final Map<String, String> ENV = Map.of("OIDC_SECRET", "from-env");
  private static final Placeholders PLACEHOLDERS =
      new Placeholders(ENV::get, name -> name.equals("idp.url") ? "https://idp.example.com" : null);

  private static Map<String, String> minimal() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", "https://idp.example.com/realms/demo");
    p.put("clientId", "my-app");
    return p;
  }

  private static OidcConfig parse(Map<String, String> params) {
    return OidcConfig.fromInitParams(params, PLACEHOLDERS);
  }

  @Test
  void minimalConfigurationGetsTheDocumentedDefaults() {
    OidcConfig c = parse(minimal());
    assertThat(c.provider().issuer().issuer()).isEqualTo("https://idp.example.com/realms/demo");
    assertThat(c.provider().issuer().discoveryUri().toString())
        .isEqualTo("https://idp.example.com/realms/demo/.well-known/openid-configuration");
    assertThat(c.tokens().audience()).containsExactly("my-app");
    assertThat(c.tokens().clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.tokens().allowedAlgorithms())
        .contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA)
        .doesNotContain(JWSAlgorithm.HS256);
    assertThat(c.access().realm()).isEqualTo("oidc-gate");
  }

  @Test
  void issuerMayBeGivenAsItsDiscoveryUrl() {
    Map<String, String> p = minimal();
    p.put(
        "issuer",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12/.well-known/openid-configuration");
    OidcConfig c = parse(p);
    assertThat(c.provider().issuer().issuer())
        .isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12");
    assertThat(c.provider().issuer().discoveryUri().toString()).isEqualTo(p.get("issuer"));
  }

  @Test
  void issuerWithTrailingSlashKeepsItForTheExactComparison() {
    Map<String, String> p = minimal();
    p.put("issuer", "https://tenant.auth0.com/");
    OidcConfig c = parse(p);
    assertThat(c.provider().issuer().issuer()).isEqualTo("https://tenant.auth0.com/");
    assertThat(c.provider().issuer().discoveryUri().toString())
        .isEqualTo("https://tenant.auth0.com/.well-known/openid-configuration");
  }

  @Test
  void placeholdersAreResolvedFromEnvironmentAndSystemProperties() {
    Map<String, String> p = minimal();
    p.put("issuer", "${sys:idp.url}/realms/demo");
    p.put("clientSecret", "${env:OIDC_SECRET}");
    OidcConfig c = parse(p);
    assertThat(c.provider().issuer().issuer()).isEqualTo("https://idp.example.com/realms/demo");
    assertThat(c.client().clientSecret().orElseThrow().getValue()).isEqualTo("from-env");
  }

  @Test
  void aMissingEnvironmentVariableNamesTheKeyAndTheVariable() {
    Map<String, String> p = minimal();
    p.put("clientSecret", "${env:NOT_SET_ANYWHERE}");
    assertThatThrownBy(() -> parse(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage("clientSecret: environment variable NOT_SET_ANYWHERE is not set");
  }

  @Test
  void aMalformedPlaceholderIsAnError() {
    Map<String, String> p = minimal();
    p.put("clientSecret", "${OIDC_SECRET}");
    assertThatThrownBy(() -> parse(p))
        .hasMessageStartingWith("clientSecret: malformed placeholder");
  }

  @Test
  void anUnknownKeyStopsStartUpNamingIt() {
    Map<String, String> p = minimal();
    p.put("clientSecert", "typo");
    assertThatThrownBy(() -> parse(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("clientSecert: unknown parameter");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "clockSkew|soon|clockSkew: not a duration",
        "clockSkew|-5s|clockSkew: must not be negative",
        "maxTokenLength|0|maxTokenLength: not a positive whole number",
        "allowedAlgorithms|HS256|allowedAlgorithms: unsupported algorithm HS256",
        "allowedAlgorithms|none|allowedAlgorithms: unsupported algorithm none",
        "introspectionAuthMethod|tls_client_auth|introspectionAuthMethod: write one of client_secret_basic",
        "introspectionEndpoint|ftp://x|introspectionEndpoint: not an absolute http(s) URL",
        "issuer|http://idp.example.com|issuer: must use https",
        "issuer|https://idp.example.com?x=1|issuer: must not have a query",
        "upstreamClaimHeaders|X-User|upstreamClaimHeaders: write Header=claim",
        "upstreamClaimHeaders|X User=sub|upstreamClaimHeaders: not a valid header name",
        "rolesClaim|.roles|rolesClaim: not a claim name",
      })
  void malformedValuesNameTheKey(String key, String value, String message) {
    Map<String, String> p = minimal();
    p.put(key, value);
    assertThatThrownBy(() -> parse(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void secretsAreNeverQuotedInErrorsWhileOtherValuesAre() {
    assertThatThrownBy(() -> OidcConfig.builder().set("maxTokenLength", "oops"))
        .hasMessageContaining("oops");
    Map<String, String> p = minimal();
    p.put("clientSecret", "x");
    p.put("sessionSecret", "short-secret-value");
    assertThatThrownBy(() -> parse(p))
        .hasMessageStartingWith("sessionSecret: each secret must be at least 32")
        .hasMessageNotContaining("short-secret-value");
  }

  @Test
  void withoutIssuerOrClientIdStartUpFailsNamingThem() {
    assertThatThrownBy(() -> parse(Map.of("clientId", "a"))).hasMessage("issuer: is required");
    assertThatThrownBy(() -> parse(Map.of("issuer", "https://idp.example.com")))
        .hasMessageStartingWith("clientId: is required");
  }

  @Test
  void audienceReplacesTheClientIdAsAcceptedAudience() {
    Map<String, String> p = minimal();
    p.put("audience", "api://orders, https://api.example.com");
    assertThat(parse(p).tokens().audience())
        .containsExactly("api://orders", "https://api.example.com");
  }

  @Test
  void anIntrospectionEndpointWithoutSecretIsAConfigurationError() {
    Map<String, String> p = minimal();
    p.put("introspectionEndpoint", "https://idp.example.com/introspect");
    assertThatThrownBy(() -> parse(p))
        .hasMessageStartingWith("clientSecret: is required when introspectionEndpoint");
  }

  @Test
  void theBuilderAndInitParamsGiveTheSameValue() {
    OidcConfig fromCode =
        OidcConfig.builder()
            .issuer("https://idp.example.com/realms/demo")
            .clientId("my-app")
            .set(TokenSettings.CLOCK_SKEW, Duration.ofSeconds(5))
            .set("scopesRequired", "read write, admin")
            .build();
    Map<String, String> p = minimal();
    p.put("clockSkew", "PT5S");
    p.put("scopesRequired", "read write, admin");
    OidcConfig fromXml = parse(p);
    assertThat(fromCode.tokens().clockSkew()).isEqualTo(fromXml.tokens().clockSkew());
    Map<String, Object> readWrite = Map.of("scope", "read write");
    Map<String, Object> readOnly = Map.of("scope", "read");
    assertThat(fromCode.access().rule().deny(readWrite))
        .isEqualTo(fromXml.access().rule().deny(readWrite))
        .isEmpty();
    assertThat(fromCode.access().rule().deny(readOnly)).isPresent();
    assertThat(fromXml.access().rule().deny(readOnly)).isPresent();
  }

  @Test
  void twoConfigurationsDoNotShareSettings() {
    OidcConfig a =
        OidcConfig.builder()
            .issuer("https://a.example.com")
            .clientId("a")
            .set("realm", "A")
            .build();
    OidcConfig b = OidcConfig.builder().issuer("https://b.example.com").clientId("b").build();
    assertThat(a.access().realm()).isEqualTo("A");
    assertThat(b.access().realm()).isEqualTo("oidc-gate");
    assertThat(List.of(a.tokens().audience(), b.tokens().audience()))
        .containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void anOptionalPlaceholderFallsBackToTheDefaultOrItsValue() {
    Map<String, String> p = minimal();
    p.put("clientSecret", "x");
    p.put("sessionSecret", "${env:NOT_SET_ANYWHERE:}");
    p.put("redirectUri", "${env:NOT_SET_EITHER:https://app.example.com/oidc-route/callback}");
    OidcConfig c = parse(p);
    assertThat(c.session().secrets()).isEmpty();
    assertThat(c.login().redirectUri()).contains("https://app.example.com/oidc-route/callback");
  }

  @Test
  void bearerOnlyCredentialsMakeAPureApiWithoutLogin() {
    Map<String, String> p = minimal();
    p.put("clientSecret", "x");
    p.put("credentials", "bearer");
    OidcConfig c = parse(p);
    assertThat(c.login().enabled()).isFalse();
    assertThat(c.login().unauthenticatedAction()).isEqualTo(UnauthenticatedAction.DENY);
    p.put("unauthenticatedAction", "redirect");
    assertThatThrownBy(() -> parse(p))
        .hasMessageStartingWith("unauthenticatedAction: redirect needs session");
  }
}
