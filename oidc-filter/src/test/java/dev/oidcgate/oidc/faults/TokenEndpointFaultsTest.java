package dev.oidcgate.oidc.faults;

import static dev.oidcgate.oidc.faults.FaultChecks.FILTER_THREADS;
import static dev.oidcgate.oidc.faults.FaultChecks.assertUnavailable;
import static dev.oidcgate.oidc.faults.FaultChecks.await;
import static dev.oidcgate.oidc.faults.FaultChecks.awaitStatus;
import static dev.oidcgate.oidc.faults.FaultChecks.threadsNamed;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.IdpFaults.Fault;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token endpoint fails at the code exchange or at a refresh: down, 500, garbage, too slow, one
 * byte at a time, 5 MiB. The browser gets 503 with {@code Retry-After}, never a 400 that blames it;
 * a session whose refresh fails that way goes on while its token is valid, is kept once it has
 * expired, and carries on once the provider answers. Only a refusal ({@code invalid_grant}) ends a
 * session. When the app stops, the provider holds no connection from it and its threads are gone.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class TokenEndpointFaultsTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;
  private long filterThreadsBefore;

  @BeforeEach
  void start() throws Exception {
    filterThreadsBefore = threadsNamed(FILTER_THREADS);
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("httpConnectTimeout", "2s");
    p.put("httpReadTimeout", "2s");
    app = apps.start(p);
  }

  @AfterEach
  void nothingLeftOnceTheAppStops() throws Exception {
    op.faults.clear();
    apps.close();
    await("the provider holds no connection from the filter", () -> op.openConnections() == 0);
    await("the filter's threads ended", () -> threadsNamed(FILTER_THREADS) <= filterThreadsBefore);
  }

  private void inject(String fault) throws Exception {
    if (fault.equals("DOWN")) {
      op.goDown();
    } else {
      op.faults.set("token", Fault.valueOf(fault));
    }
  }

  private void heal(String fault) throws Exception {
    if (fault.equals("DOWN")) {
      op.comeUp();
    }
    op.faults.clear();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DOWN", "SERVER_ERROR", "GARBAGE", "SLOW", "DRIP", "HUGE"})
  void aFailingCodeExchangeAnswers503AndTheNextLoginWorks(String fault) throws Exception {
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    URI callback = location(browser.get(authorize));
    inject(fault);

    assertUnavailable(browser.get(callback));

    heal(fault);
    HttpResponse<String> page = awaitStatus(200, () -> browser.navigate(app.uri("/resource")));
    assertThat(FilterServer.seen(page).get("principal")).isEqualTo("alice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DOWN", "SERVER_ERROR", "GARBAGE", "SLOW", "DRIP"})
  void aRefreshThatFailsTransientlyKeepsTheSessionUntilTheProviderAnswers(String fault)
      throws Exception {
    // Six seconds: the refresh is due after half of them (refreshLeeway, 60s, is longer).
    op.accessTokenLifetime = 6;
    // A SLOW refresh the filter gave up on is still carried out by the provider once it recovers;
    // with rotation that spends the session's refresh token (a real IdP does the same, unless it
    // has a reuse interval), so whether the session survives would depend on which request the
    // provider handles first.
    op.rotateRefreshTokens = false;
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    long signedIn = System.nanoTime();
    inject(fault);

    // The refresh is due and fails, but the token is still valid: the request goes on.
    Thread.sleep(Math.max(0, 4_000 - (System.nanoTime() - signedIn) / 1_000_000));
    HttpResponse<String> stillValid = browser.get(app.uri("/resource"));
    assertThat(stillValid.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(stillValid).get("principal")).isEqualTo("alice");
    if (!fault.equals("DOWN")) { // a provider that is down sees nothing
      assertThat(op.faults.faulted("token")).as("refreshes tried").isPositive();
    }

    // Once the access token has expired and cannot be refreshed: 503, the session kept.
    assertUnavailable(awaitStatus(503, () -> browser.get(app.uri("/resource"))));

    heal(fault);
    HttpResponse<String> page = awaitStatus(200, () -> browser.get(app.uri("/resource")));
    assertThat(FilterServer.seen(page).get("principal")).isEqualTo("alice");
    assertThat(op.refreshes.get()).isPositive();
    assertThat(op.codeExchanges).hasValue(1); // the same session, no new login
  }

  @Test
  void aRefusedRefreshEndsTheSession() throws Exception {
    op.accessTokenLifetime = 2;
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    op.failRefresh = true;

    HttpResponse<String> loginAgain = awaitStatus(302, () -> browser.get(app.uri("/resource")));

    assertThat(location(loginAgain).toString()).startsWith(op.issuer() + "/authorize?");
    await("the refused refresh was asked for", () -> op.refreshRequests.get() > 0);
  }
}
