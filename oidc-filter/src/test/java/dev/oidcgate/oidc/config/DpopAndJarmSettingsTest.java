package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.ResponseMode;
import dev.oidcgate.oidc.config.DpopTokenSettings.DpopTokens;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JARM response modes and the DPoP resource-server keys: defaults, values, bad values. */
class DpopAndJarmSettingsTest {

  private static Map<String, String> minimal() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", "https://idp.example.com/realms/demo");
    p.put("clientId", "my-app");
    p.put("clientSecret", "secret");
    return p;
  }

  @Test
  void dpopDefaultsAcceptBoundTokensWithSixtySecondProofsAndNoNonces() {
    DpopTokenSettings d = OidcConfig.fromInitParams(minimal()).dpopTokens();
    assertThat(d.mode()).isEqualTo(DpopTokens.ACCEPT);
    assertThat(d.proofMaxAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.nonce()).isFalse();
  }

  @Test
  void dpopKeysAreRead() {
    Map<String, String> p = minimal();
    p.put("dpopTokens", "Require");
    p.put("dpopProofMaxAge", "30s");
    p.put("dpopNonce", "on");
    DpopTokenSettings d = OidcConfig.fromInitParams(p).dpopTokens();
    assertThat(d.mode()).isEqualTo(DpopTokens.REQUIRE);
    assertThat(d.proofMaxAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.nonce()).isTrue();
  }

  @Test
  void badDpopValuesFailAtStartUpNamingTheKey() {
    for (String[] bad :
        new String[][] {{"dpopTokens", "maybe"}, {"dpopProofMaxAge", "0s"}, {"dpopNonce", "yes"}}) {
      Map<String, String> p = minimal();
      p.put(bad[0], bad[1]);
      assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
          .as(bad[0])
          .isInstanceOf(OidcConfigException.class)
          .hasMessageStartingWith(bad[0] + ":");
    }
  }

  @Test
  void theJarmResponseModesAreAcceptedAndFragmentJwtIsNot() {
    for (String mode : new String[] {"jwt", "query.jwt", "form_post.jwt"}) {
      Map<String, String> p = minimal();
      p.put("responseMode", mode);
      LoginSettings login = OidcConfig.fromInitParams(p).login();
      assertThat(login.responseMode()).isEqualTo(new ResponseMode(mode));
      assertThat(login.jarm()).as(mode).isTrue();
      assertThat(login.formPost()).as(mode).isEqualTo(mode.equals("form_post.jwt"));
    }
    Map<String, String> p = minimal();
    p.put("responseMode", "fragment.jwt");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("responseMode:");
    assertThat(OidcConfig.fromInitParams(minimal()).login().jarm()).isFalse();
  }
}
