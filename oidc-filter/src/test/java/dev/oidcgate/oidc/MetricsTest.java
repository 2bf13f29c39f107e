package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code metrics=micrometer}: logins, refusals by reason and logouts counted on Micrometer's global
 * registry, with tags from fixed sets only; a browser stand-in, the filter in Jetty, an OP over
 * HTTP.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, TestIdpExtension.class, FilterServerExtension.class})
class MetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    Metrics.addRegistry(registry);
    Map<String, String> p = op.filterParams();
    p.put("metrics", "micrometer");
    p.put("pathRules", "/admin/* role=admin");
    p.put("rolesClaim", "realm_access.roles");
    app = apps.start(p);
  }

  @AfterEach
  void stop() {
    Metrics.removeRegistry(registry);
    registry.close();
  }

  private double count(String name, String tag, String value) {
    var counter = registry.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void loginsRefusalsByReasonLogoutsAndRequestTimesAreCounted() throws Exception {
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    assertThat(count("oidc.gate.logins", "outcome", "success")).isEqualTo(1);

    op.roles = List.of("reader");
    assertThat(browser.get(app.uri("/admin/x")).statusCode()).isEqualTo(403);
    assertThat(count("oidc.gate.refusals", "reason", "insufficient_scope")).isEqualTo(1);

    assertThat(app.get("/resource", "Authorization", "Bearer not-a-token").statusCode())
        .isEqualTo(401);
    assertThat(count("oidc.gate.refusals", "reason", "invalid_token")).isEqualTo(1);

    assertThat(browser.get(app.uri("/callback?state=forged&code=x")).statusCode()).isEqualTo(400);
    assertThat(count("oidc.gate.logins", "outcome", "failure")).isEqualTo(1);

    browser.get(app.uri("/logout"), "Sec-Fetch-Site", "same-origin");
    assertThat(registry.find("oidc.gate.logouts").counter().count()).isEqualTo(1);
    assertThat(registry.find("oidc.gate.requests").tag("status", "2xx").timer().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(registry.find("oidc.gate.requests").tag("status", "4xx").timer().count())
        .isGreaterThanOrEqualTo(3);
    // Only fixed tag values: no subject, no free-text reason.
    assertThat(registry.getMeters())
        .allSatisfy(
            m ->
                m.getId()
                    .getTags()
                    .forEach(t -> assertThat(t.getValue()).doesNotContain("alice", " ")));
  }

  @Test
  void keyFetchesAndIntrospectionCallsAreCountedByOutcome(TestIdp idp) throws Exception {
    idp.serveIntrospection("{\"active\":false}");
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("metrics", "micrometer");
    FilterServer api = apps.start(p);
    assertThat(api.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
    assertThat(count("oidc.gate.key.fetches", "outcome", "success")).isEqualTo(1);

    assertThat(api.getWithToken("an-opaque-token").statusCode()).isEqualTo(401);
    assertThat(api.getWithToken("an-opaque-token").statusCode()).isEqualTo(401);
    // The second refusal comes from the refusal cache: one call.
    assertThat(count("oidc.gate.introspections", "outcome", "inactive")).isEqualTo(1);
  }
}
