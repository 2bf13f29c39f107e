package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.settings.Placeholders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSettingsTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  private static OidcConfig parse(Map<String, String> params, Map<String, String> env) {
    return OidcConfig.fromInitParams(params, new Placeholders(env::get, n -> null), env::get);
  }

  @Test
  void variableIsThePrefixAndTheKeyInUpperSnakeCase() {
    assertThat(EnvironmentSettings.variable("OIDC_", "groupsClaim")).isEqualTo("OIDC_GROUPS_CLAIM");
    assertThat(EnvironmentSettings.variable("OIDC_", "issuer")).isEqualTo("OIDC_ISSUER");
    assertThat(EnvironmentSettings.variable("APP_", "sessionCookieSameSite"))
        .isEqualTo("APP_SESSION_COOKIE_SAME_SITE");
    for (OidcSetting<?> s : OidcSetting.values()) {
      assertThat(EnvironmentSettings.variable("OIDC_", s.key())).matches("OIDC_[A-Z0-9_]+");
    }
  }

  @Test
  void withPrefixEveryUnsetSettingComesFromTheEnvironment() {
    OidcConfig c =
        parse(
            Map.of("environmentPrefix", "OIDC_"),
            env(
                "OIDC_ISSUER", "https://idp.example.com/realms/demo",
                "OIDC_CLIENT_ID", "my-app",
                "OIDC_CLIENT_SECRET", "from-env",
                "OIDC_GROUPS_CLAIM", "cognito:groups",
                "OIDC_CLOCK_SKEW", "5s"));
    assertThat(c.provider().issuer().issuer()).isEqualTo("https://idp.example.com/realms/demo");
    assertThat(c.client().clientId()).hasValue("my-app");
    assertThat(c.client().clientSecret().orElseThrow().getValue()).isEqualTo("from-env");
    assertThat(c.access().groupsClaim().name()).isEqualTo("cognito:groups");
    assertThat(c.tokens().clockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.sources().environmentPrefix()).hasValue("OIDC_");
  }

  @Test
  void anInitParamWinsOverItsVariable() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("environmentPrefix", "OIDC_");
    params.put("issuer", "https://idp.example.com/realms/demo");
    params.put("clientId", "${env:MY_CLIENT}");
    params.put("groupsClaim", "team");
    OidcConfig c =
        parse(
            params,
            env(
                "MY_CLIENT", "explicit-app",
                "OIDC_CLIENT_ID", "env-app",
                "OIDC_GROUPS_CLAIM", "cognito:groups",
                "OIDC_ROLES_CLAIM", "realm_access.roles"));
    assertThat(c.client().clientId()).hasValue("explicit-app");
    assertThat(c.access().groupsClaim().name()).isEqualTo("team");
    assertThat(c.access().rolesClaim().name()).isEqualTo("realm_access.roles");
  }

  @Test
  void anInitParamGivenBlankMeansTheDefaultAndIsNotFilledFromItsVariable() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("environmentPrefix", "OIDC_");
    params.put("issuer", "https://idp.example.com");
    params.put("clientId", "my-app");
    params.put("clientSecret", "the-client-secret");
    params.put("rolesClaim", "${env:UNSET_ROLES:}");
    params.put("unauthenticatedAction", "");
    OidcConfig c =
        parse(
            params,
            env(
                "OIDC_ROLES_CLAIM", "realm_access.roles",
                "OIDC_UNAUTHENTICATED_ACTION", "pass"));
    assertThat(c.access().rolesClaim().name()).isEqualTo("roles");
    assertThat(c.login().unauthenticatedAction()).isEqualTo(UnauthenticatedAction.REDIRECT);
    assertThat(c.sources().fromEnvironment()).isEmpty();
  }

  @Test
  void theKeysReadFromTheEnvironmentAreListedInOrderWithoutTheirValues() {
    OidcConfig c =
        parse(
            Map.of("environmentPrefix", "OIDC_", "clientId", "my-app"),
            env(
                "OIDC_ISSUER", "https://idp.example.com/realms/demo",
                "OIDC_CLIENT_SECRET", "from-env-secret",
                "OIDC_GROUPS_CLAIM", "cognito:groups"));
    assertThat(c.sources().fromEnvironment())
        .containsExactly("issuer", "clientSecret", "groupsClaim");
  }

  @Test
  void withoutPrefixTheEnvironmentIsNotRead() {
    OidcConfig c =
        parse(
            Map.of("issuer", "https://idp.example.com/realms/demo", "clientId", "my-app"),
            env("OIDC_GROUPS_CLAIM", "cognito:groups"));
    assertThat(c.access().groupsClaim().name()).isEqualTo("groups");
    assertThat(c.sources().environmentPrefix()).isEmpty();
  }

  @Test
  void aMalformedVariableIsAnErrorNamingKeyAndVariable() {
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "environmentPrefix",
                        "OIDC_",
                        "issuer",
                        "https://idp.example.com/realms/demo",
                        "clientId",
                        "my-app"),
                    env("OIDC_CLOCK_SKEW", "soon")))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("clockSkew: ")
        .hasMessageContaining("OIDC_CLOCK_SKEW")
        .hasMessageContaining("'soon'");
  }

  @Test
  void aSecretFromTheEnvironmentIsNeverQuotedInAnError() {
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "environmentPrefix",
                        "OIDC_",
                        "issuer",
                        "https://idp.example.com/realms/demo",
                        "clientId",
                        "my-app"),
                    env("OIDC_SESSION_SECRET", "too-short-secret-value")))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("sessionSecret: ")
        .hasMessageContaining("OIDC_SESSION_SECRET")
        .hasMessageNotContaining("too-short-secret-value");
  }

  @Test
  void theBuilderReadsTheEnvironmentToo() {
    OidcConfig c =
        OidcConfig.builder()
            .set("environmentPrefix", "APP_")
            .environment(
                env("APP_ISSUER", "https://idp.example.com/realms/demo", "APP_CLIENT_ID", "x")::get)
            .build();
    assertThat(c.client().clientId()).hasValue("x");
  }

  @Test
  void aPrefixThatIsNoVariableNameIsRefused() {
    assertThatThrownBy(() -> OidcConfig.builder().set("environmentPrefix", "OIDC-"))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("environmentPrefix: ");
  }
}
