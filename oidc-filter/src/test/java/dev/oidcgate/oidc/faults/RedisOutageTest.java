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
import dev.oidcgate.oidc.testsupport.RedisServer;
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
 * A real redis-server is stopped while the app runs and started again: requests that need it get
 * 503 with {@code Retry-After} (bearer tokens do not need it), and once it is back the sessions
 * stored before are there again, without a restart of the app; when the app stops, no Lettuce
 * thread and no filter thread is left, and the IdP stand-in holds no connection from it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class RedisOutageTest {

  private TestAuthServer op;
  private RedisServer redis;
  private FilterServers apps;
  private FilterServer app;
  private long lettuceThreadsBefore;
  private long filterThreadsBefore;

  @BeforeEach
  void start() throws Exception {
    lettuceThreadsBefore = threadsNamed("lettuce");
    filterThreadsBefore = threadsNamed(FILTER_THREADS);
    redis = RedisServer.startNew();
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("sessionStore", "redis");
    p.put("redisUri", redis.uri());
    app = apps.start(p);
  }

  @AfterEach
  void stop() throws Exception {
    apps.close();
    // Reconnecting may start more of Lettuce's (bounded) event-loop threads; none may outlive the
    // app.
    await("Lettuce's threads ended", () -> threadsNamed("lettuce") <= lettuceThreadsBefore);
    await("the provider holds no connection from the filter", () -> op.openConnections() == 0);
    await("the filter's threads ended", () -> threadsNamed(FILTER_THREADS) <= filterThreadsBefore);
    redis.close();
  }

  @Test
  void whileRedisIsDownSessionsGet503AndTheyAreBackWhenItIs() throws Exception {
    TestBrowser signedIn = new TestBrowser();
    assertThat(signedIn.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    TestBrowser midLogin = new TestBrowser();
    URI callback = location(midLogin.get(location(midLogin.get(app.uri("/resource")))));
    String token = bearer(op, op.signingKey());
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);

    redis.stop();

    assertUnavailable(signedIn.get(app.uri("/resource")));
    assertUnavailable(midLogin.get(callback));
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(200);

    redis.start();
    HttpResponse<String> back = awaitStatus(200, () -> signedIn.get(app.uri("/resource")));
    assertThat(FilterServer.seen(back).get("principal")).isEqualTo("alice");
    assertThat(midLogin.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
  }
}
