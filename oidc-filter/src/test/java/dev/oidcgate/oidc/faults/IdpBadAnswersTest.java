package dev.oidcgate.oidc.faults;

import static dev.oidcgate.oidc.faults.FaultChecks.FILTER_THREADS;
import static dev.oidcgate.oidc.faults.FaultChecks.assertUnavailable;
import static dev.oidcgate.oidc.faults.FaultChecks.await;
import static dev.oidcgate.oidc.faults.FaultChecks.awaitStatus;
import static dev.oidcgate.oidc.faults.FaultChecks.bearer;
import static dev.oidcgate.oidc.faults.FaultChecks.threadsNamed;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.IdpFaults.Fault;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Discovery and the key set answer badly: too slowly, one byte at a time, garbage, 5 MiB, a
 * redirect, a 500. Each time the app starts anyway and answers 503 with {@code Retry-After} (or,
 * with keys already known, goes on accepting tokens signed by them), never follows the redirect,
 * recovers once the provider behaves, and leaves no thread and no connection behind when it stops.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class IdpBadAnswersTest {

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
    op.faults.clear();
    apps.close();
    await("the provider holds no connection from the filter", () -> op.openConnections() == 0);
    await("the filter's threads ended", () -> threadsNamed(FILTER_THREADS) <= filterThreadsBefore);
    assertThat(op.faults.redirectsFollowed).hasValue(0);
  }

  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("httpConnectTimeout", "2s");
    p.put("httpReadTimeout", "2s");
    p.put("discoveryRetryMaxInterval", "1s");
    p.put("jwksRetryMaxInterval", "1s");
    p.put("jwksMinRefreshInterval", "1s");
    return p;
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aBadDiscoveryAnswerAtStartUpMeans503UntilTheProviderBehaves(Fault fault) throws Exception {
    op.faults.set("discovery", fault);
    app = apps.start(params()); // returns: start-up waits at most one call's deadline
    String token = bearer(op, op.signingKey());

    assertUnavailable(app.getWithToken(token));
    assertUnavailable(app.get("/resource", "Accept", "text/html"));

    op.faults.clear();
    awaitStatus(200, () -> app.getWithToken(token));
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aBadKeySetAnswerKeepsTheKnownKeysAndANewKeyIsFoundOnceItBehaves(Fault fault)
      throws Exception {
    app = apps.start(params());
    String known = bearer(op, op.signingKey());
    assertThat(app.getWithToken(known).statusCode()).isEqualTo(200);

    op.rotateKey();
    RSAKey rotated = op.signingKey();
    op.faults.set("jwks", fault);
    String signedWithTheNewKey = bearer(op, rotated);

    assertThat(app.getWithToken(known).statusCode()).isEqualTo(200);
    assertThat(app.getWithToken(signedWithTheNewKey).statusCode()).isEqualTo(401);
    assertThat(app.getWithToken(known).statusCode()).isEqualTo(200);

    op.faults.clear();
    awaitStatus(200, () -> app.getWithToken(signedWithTheNewKey));
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aBadKeySetAnswerBeforeAnyKeyIsKnownMeans503UntilItBehaves(Fault fault) throws Exception {
    op.faults.set("jwks", fault);
    app = apps.start(params());
    String token = bearer(op, op.signingKey());

    assertUnavailable(app.getWithToken(token));

    op.faults.clear();
    awaitStatus(200, () -> app.getWithToken(token));
  }
}
