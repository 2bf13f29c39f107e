package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.http.HttpClient5Transport;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void closeReturnsOnlyOnceARefreshInProgressHasEnded() throws Exception {
    HeldDiscovery discovery = new HeldDiscovery();
    List<Thread> before = refreshThreads();
    // The transport is the test's, so close() cannot end the held read by closing its connection:
    // only waiting for the refresh thread makes it gone by the time close() returns.
    try (LoopbackJetty idp = LoopbackJetty.serve(discovery);
        HttpClient5Transport transport =
            new HttpClient5Transport(Duration.ofSeconds(5), Duration.ofSeconds(30), 64 * 1024)) {
      OidcConfig config =
          OidcConfig.builder()
              .issuer(idp.url("/realm").toString())
              .clientId(TestIdp.CLIENT_ID)
              .transport(transport)
              .build();
      OidcGate gate = OidcGate.start(config); // the first read gets 500; a retry follows in 1 s
      assertThat(discovery.held.await(20, TimeUnit.SECONDS)).isTrue();
      List<Thread> refreshing =
          refreshThreads().stream()
              .filter(t -> t.getName().equals("oidc-gate-refresh") && !before.contains(t))
              .toList();
      assertThat(refreshing).hasSize(1);

      gate.close();

      // The thread's last frames after the pool terminates take a moment, far less than the
      // seconds for which the provider still holds its answer.
      refreshing.get(0).join(500);
      assertThat(refreshing.get(0).isAlive())
          .as("the refresh thread is still reading the held discovery answer")
          .isFalse();
    }
  }

  /** Discovery that answers 500 at once, then holds the next request for three seconds. */
  private static final class HeldDiscovery extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final transient CountDownLatch held = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
      if (requests.incrementAndGet() > 1) {
        held.countDown();
        try {
          Thread.sleep(3_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      resp.setStatus(500); // not 503, which HttpClient retries at once
    }
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
