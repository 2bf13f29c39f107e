package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(30)
@ExtendWith(TestIdpExtension.class)
class OidcGateTest {

  @Test
  void aDiscoveryDocumentForAnotherIssuerStopsStartUpNamingTheIssuerKey() {
    try (TestIdp idp = new TestIdp()) {
      idp.serveDiscovery("https://other-issuer.example.com");
      OidcConfig config =
          OidcConfig.builder().issuer(idp.issuer()).clientId(TestIdp.CLIENT_ID).build();
      assertThatThrownBy(() -> OidcGate.start(config))
          .isInstanceOf(OidcConfigException.class)
          .hasMessageStartingWith(
              "issuer: the identity provider's metadata names issuer 'https://other-issuer.example.com'");
    }
  }

  @Test
  void closingTheGateEndsItsBackgroundThread(TestIdp idp) throws Exception {
    OidcConfig config =
        OidcConfig.builder().issuer(idp.issuer()).clientId(TestIdp.CLIENT_ID).build();
    List<Thread> before = refreshThreads();
    OidcGate gate = OidcGate.start(config);
    gate.authenticateBearer(idp.rs256(c -> {}));
    List<Thread> started = new ArrayList<>(refreshThreads());
    started.removeAll(before);
    assertThat(started).isNotEmpty();

    gate.close();

    // A container checks for leaked threads when the app is undeployed; close() waits for the
    // pool to terminate, and the thread's last frames take at most a moment longer.
    for (Thread t : started) {
      t.join(1_000);
    }
    assertThat(started).noneMatch(Thread::isAlive);
  }

  private static List<Thread> refreshThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("oidc-gate-") && t.isAlive())
        .toList();
  }

  @Test
  void aProviderAtTheDiscoveryUrlIsUsedWithoutAnyOtherSetting(TestIdp idp)
      throws OidcErrorException {
    OidcConfig config =
        OidcConfig.builder()
            .issuer(idp.issuer() + "/.well-known/openid-configuration")
            .clientId(TestIdp.CLIENT_ID)
            .build();
    try (OidcGate gate = OidcGate.start(config)) {
      assertThat(gate.isProviderReady()).isTrue();
      assertThat(gate.authenticateBearer(idp.rs256(c -> {})).principal().getName())
          .isEqualTo("alice");
    }
  }

  @Test
  void aTokenWithoutThePrincipalClaimIsRefused(TestIdp idp) {
    OidcConfig config =
        OidcConfig.builder()
            .issuer(idp.issuer())
            .clientId(TestIdp.CLIENT_ID)
            .set("principalClaim", "email")
            .build();
    try (OidcGate gate = OidcGate.start(config)) {
      assertThatThrownBy(() -> gate.authenticateBearer(idp.rs256(c -> {})))
          .isInstanceOf(OidcErrorException.class)
          .hasMessageContaining("has no email claim");
      assertThat(
              gate.authenticateBearer(idp.rs256(c -> c.claim("email", "a@example.com")))
                  .principal()
                  .getName())
          .isEqualTo("a@example.com");
    } catch (OidcErrorException e) {
      throw new AssertionError(e);
    }
  }
}
