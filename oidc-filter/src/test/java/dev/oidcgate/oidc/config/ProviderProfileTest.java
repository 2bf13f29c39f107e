package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.authz.ClaimPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderProfileTest {

  @ParameterizedTest
  @CsvSource({
    "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI, cognito",
    "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0, entra",
    "https://accounts.google.com, google",
    "https://dev-123.okta.com/oauth2/default, okta",
    "https://my-tenant.us.auth0.com/, auth0",
    "https://sso.example.com/realms/demo, keycloak",
    "https://sso.example.com/auth/realms/demo, keycloak",
    "https://idp.example.com, generic",
    "https://idp.example.com/realms/demo/extra, generic"
  })
  void theIssuerUrlNamesTheProvider(String issuer, String expected) {
    assertThat(ProviderProfile.fromIssuer(issuer).orElse(ProviderProfile.GENERIC).text())
        .isEqualTo(expected);
  }

  @Test
  void theDiscoveryUrlOfCognitoGivesTheCognitoDefaults() {
    OidcConfig c =
        OidcConfig.builder()
            .issuer(
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab/.well-known/openid-configuration")
            .clientId("app")
            .build();
    assertThat(c.provider().profile()).isEqualTo(ProviderProfile.COGNITO);
    assertThat(c.provider().profileFromDiscovery()).isFalse();
    assertThat(c.tokens().audienceClaim().name()).isEqualTo("client_id");
    assertThat(c.tokens().accessTokenClaims()).isEqualTo(Map.of("token_use", "access"));
    assertThat(c.access().groupsClaim().name()).isEqualTo("cognito:groups");
    assertThat(c.logout().redirectParameter()).isEqualTo("logout_uri");
  }

  @Test
  void anUnknownIssuerLeavesTheDiscoveryDocumentToNameTheProvider() {
    OidcConfig c = OidcConfig.builder().issuer("https://idp.example.com").clientId("app").build();
    assertThat(c.provider().profile()).isEqualTo(ProviderProfile.GENERIC);
    assertThat(c.provider().profileFromDiscovery()).isTrue();
    OidcConfig okta = c.withProvider(ProviderProfile.OKTA);
    assertThat(okta.provider().profile()).isEqualTo(ProviderProfile.OKTA);
    assertThat(okta.provider().profileFromDiscovery()).isFalse();
    assertThat(okta.login().credentials()).containsExactly(Credential.SESSION);
  }

  @Test
  void explicitValuesWinOverTheProfile() {
    OidcConfig c =
        OidcConfig.builder()
            .issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab")
            .clientId("app")
            .set("groupsClaim", "custom:teams")
            .build();
    assertThat(c.access().groupsClaim().name()).isEqualTo("custom:teams");
    assertThat(c.tokens().audienceClaim().name()).isEqualTo("client_id");
  }

  @Test
  void severalClaimNamesAreReadAsOneClaim() {
    ClaimPath roles = ClaimPath.of("realm_access.roles, resource_access.app.roles");
    Map<String, Object> claims =
        Map.of(
            "realm_access", Map.of("roles", List.of("a")),
            "resource_access", Map.of("app", Map.of("roles", List.of("b"))));
    assertThat(roles.resolve(claims)).isEqualTo(List.of("a", "b"));
    assertThat(roles.resolve(Map.of())).isNull();
  }
}
