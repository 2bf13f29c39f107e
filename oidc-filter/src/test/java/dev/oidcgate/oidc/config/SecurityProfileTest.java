package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code securityProfile=fapi2}: one key sets what the FAPI 2.0 Security Profile asks of a client,
 * and an explicit setting that contradicts it stops start-up naming that setting.
 */
class SecurityProfileTest {

  @TempDir Path dir;

  private Map<String, String> fapi2Client(String keyJson) throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("issuer", "https://idp.example.com");
    p.put("clientId", "app");
    p.put("clientSigningKey", Files.writeString(dir.resolve("key.jwk"), keyJson).toString());
    p.put("securityProfile", "fapi2");
    return p;
  }

  private Map<String, String> rsaClient() throws Exception {
    return fapi2Client(new RSAKeyGenerator(2048).generate().toJSONString());
  }

  @Test
  void fapi2SetsParPrivateKeyJwtDpopAndOnlyFapiAlgorithms() throws Exception {
    OidcConfig c = OidcConfig.fromInitParams(rsaClient());
    assertThat(c.securityProfile().fapi2()).isTrue();
    assertThat(c.authorizationRequest().pushed())
        .isEqualTo(AuthorizationRequestSettings.PushedRequests.ALWAYS);
    assertThat(c.client().tokenEndpointAuthMethod())
        .isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    assertThat(c.dpopClient().enabled()).isTrue();
    assertThat(c.tokens().allowedAlgorithms())
        .containsExactlyInAnyOrder(JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
    assertThat(c.clientKey().signingAlgorithm())
        .as("an RSA key signs PS256, never RS256")
        .contains(JWSAlgorithm.PS256);
  }

  @Test
  void withoutTheProfileNothingChanges() throws Exception {
    Map<String, String> p = rsaClient();
    p.remove("securityProfile");
    p.put("tokenEndpointAuthMethod", "private_key_jwt");
    OidcConfig c = OidcConfig.fromInitParams(p);
    assertThat(c.securityProfile().fapi2()).isFalse();
    assertThat(c.authorizationRequest().pushed())
        .isEqualTo(AuthorizationRequestSettings.PushedRequests.AUTO);
    assertThat(c.dpopClient().enabled()).isFalse();
    assertThat(c.clientKey().signingAlgorithm()).contains(JWSAlgorithm.RS256);
  }

  @Test
  void anEcKeyOnP256SignsEs256() throws Exception {
    OidcConfig c =
        OidcConfig.fromInitParams(
            fapi2Client(new ECKeyGenerator(Curve.P_256).generate().toJSONString()));
    assertThat(c.clientKey().signingAlgorithm()).contains(JWSAlgorithm.ES256);
  }

  @Test
  void aKeyWhoseAlgorithmFapi2DoesNotAllowStopsStartUpNamingTheKey() throws Exception {
    Map<String, String> p = fapi2Client(new ECKeyGenerator(Curve.P_384).generate().toJSONString());
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("clientSigningKey: signs ES384, which securityProfile=fapi2");
  }

  @ParameterizedTest
  @CsvSource({
    "pushedAuthorizationRequests, never, always",
    "pushedAuthorizationRequests, auto, always",
    "tokenEndpointAuthMethod, client_secret_basic, private_key_jwt",
    "tokenEndpointAuthMethod, client_secret_jwt, private_key_jwt",
    "dpop, off, on",
    "allowedAlgorithms, RS256 PS256, 'PS256, ES256 or EdDSA only'",
    "clientSigningAlg, RS256, 'PS256, ES256 or EdDSA'",
  })
  void anExplicitSettingThatContradictsFapi2StopsStartUpNamingIt(
      String key, String value, String wanted) throws Exception {
    Map<String, String> p = rsaClient();
    p.put("clientSecret", "a-secret-that-is-long-enough-for-hs256-0123456789");
    p.put(key, value);
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage(key + ": contradicts securityProfile=fapi2, which needs " + wanted);
  }

  @Test
  void explicitSettingsThatAgreeWithFapi2AreAccepted() throws Exception {
    Map<String, String> p = rsaClient();
    p.put("pushedAuthorizationRequests", "always");
    p.put("tokenEndpointAuthMethod", "private_key_jwt");
    p.put("dpop", "on");
    p.put("allowedAlgorithms", "PS256");
    p.put("clientSigningAlg", "PS256");
    OidcConfig c = OidcConfig.fromInitParams(p);
    assertThat(c.tokens().allowedAlgorithms()).containsExactly(JWSAlgorithm.PS256);
  }

  @Test
  void anUnknownProfileStopsStartUpNamingTheKey() {
    Map<String, String> p = new HashMap<>();
    p.put("issuer", "https://idp.example.com");
    p.put("clientId", "app");
    p.put("clientSecret", "s");
    p.put("securityProfile", "fapi1");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("securityProfile:");
  }
}
