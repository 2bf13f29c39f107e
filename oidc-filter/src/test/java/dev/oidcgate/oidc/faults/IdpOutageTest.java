package dev.oidcgate.oidc.faults;

import static dev.oidcgate.oidc.faults.FaultChecks.FILTER_THREADS;
import static dev.oidcgate.oidc.faults.FaultChecks.assertUnavailable;
import static dev.oidcgate.oidc.faults.FaultChecks.await;
import static dev.oidcgate.oidc.faults.FaultChecks.awaitStatus;
import static dev.oidcgate.oidc.faults.FaultChecks.bearer;
import static dev.oidcgate.oidc.faults.FaultChecks.threadsNamed;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
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

/**
 * The identity provider is down (connections refused) at start-up or goes down while the app runs:
 * the app starts, answers what is documented (503 with {@code Retry-After}; tokens signed with keys
 * it knows and sessions it holds keep working), and recovers without a restart. When the app stops,
 * the provider holds no connection from it and its threads are gone.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class IdpOutageTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;
  private long filterThreadsBefore;

  @BeforeEach
  void countFilterThreads() {
    filterThreadsBefore = threadsNamed(FILTER_THREADS);
  }

  @AfterEach
  void nothingLeftOnceTheAppStops() throws Exception {
    apps.close();
    await("the provider holds no connection from the filter", () -> op.openConnections() == 0);
    await("the filter's threads ended", () -> threadsNamed(FILTER_THREADS) <= filterThreadsBefore);
  }

  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("httpConnectTimeout", "2s");
    p.put("httpReadTimeout", "2s");
    p.put("discoveryRetryMaxInterval", "1s");
    p.put("jwksRetryMaxInterval", "1s");
    return p;
  }

  @Test
  void anAppStartedWhileTheIdpIsDownAnswers503AndRecoversWhenItComesUp() throws Exception {
    op.goDown();
    app = apps.start(params());
    String token = bearer(op, op.signingKey());

    assertThat(app.isRunning()).isTrue();
    assertUnavailable(app.getWithToken(token));
    assertUnavailable(new TestBrowser().get(app.uri("/resource")));

    op.comeUp();
    awaitStatus(200, () -> app.getWithToken(token));
    HttpResponse<String> page = new TestBrowser().navigate(app.uri("/resource"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(page).get("principal")).isEqualTo("alice");
  }

  @Test
  void whileTheIdpIsDownKnownKeysAndSessionsWorkAndALoginAnswers503UntilItIsBack()
      throws Exception {
    app = apps.start(params());
    String token = bearer(op, op.signingKey());
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);
    TestBrowser signedIn = new TestBrowser();
    assertThat(signedIn.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    TestBrowser midLogin = new TestBrowser();
    URI authorize = location(midLogin.get(app.uri("/resource")));
    URI callback = location(midLogin.get(authorize));

    op.goDown();

    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);
    assertThat(signedIn.get(app.uri("/resource")).statusCode()).isEqualTo(200);
    HttpResponse<String> codeExchange = midLogin.get(callback);
    assertUnavailable(codeExchange);
    assertThat(codeExchange.body()).doesNotContain("code=");

    op.comeUp();
    HttpResponse<String> again = awaitStatus(200, () -> midLogin.navigate(app.uri("/resource")));
    assertThat(FilterServer.seen(again).get("principal")).isEqualTo("alice");
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);
  }
}
