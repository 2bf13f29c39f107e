package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code <loginPath>/<name>} starts the login at the issuer {@code issuerClients} names so; an
 * unknown name is a page that does not exist (404), and no issuer hears of it.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class IssuerLoginPathTest {

  private TestAuthServer a;
  private TestAuthServer b;
  private FilterServers apps;
  private FilterServer app;

  private void start(boolean withIssuerClients) throws Exception {
    b.clientId = "partners-app";
    b.clientSecret = "partners-secret";
    a.nextUser = "ann";
    b.nextUser = "ben";
    Map<String, String> p = a.filterParams();
    p.put("additionalIssuers", b.issuer());
    if (withIssuerClients) {
      p.put(
          "issuerClients",
          "staff=" + a.issuer() + ", partners=" + b.issuer() + " partners-app partners-secret");
    }
    app = apps.start(p);
  }

  @Test
  void theLoginPathWithAnIssuerNameSignsInAtThatIssuerAndReturns() throws Exception {
    start(true);
    TestBrowser atB = new TestBrowser();
    TestBrowser atA = new TestBrowser();

    HttpResponse<String> toB = atB.get(app.uri("/login/partners?return=/app/page"));
    HttpResponse<String> toA = atA.get(app.uri("/login/staff"));

    assertThat(location(toB).toString()).startsWith(b.issuer() + "/authorize");
    assertThat(location(toA).toString()).startsWith(a.issuer() + "/authorize");
    HttpResponse<String> back = atB.navigate(location(toB));
    assertThat(back.uri().getPath()).isEqualTo("/app/page");
    assertThat(seen(back).get("principal")).isEqualTo("ben");
    assertThat(b.authorizationRequests.get(0).get("client_id")).isEqualTo("partners-app");
    assertThat(seen(atA.navigate(location(toA))).get("principal")).isEqualTo("ann");
  }

  @Test
  void anUnknownIssuerNameIsNotFoundAndNoIssuerIsAsked() throws Exception {
    start(true);
    int before = a.requests.get() + b.requests.get();
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> unknown = browser.get(app.uri("/login/elsewhere"));
    HttpResponse<String> otherCase = browser.get(app.uri("/login/Partners"));
    HttpResponse<String> nested = browser.get(app.uri("/login/partners/x"));

    for (HttpResponse<String> r : java.util.List.of(unknown, otherCase, nested)) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.headers().firstValue("Location")).isEmpty();
      assertThat(r.body()).contains("no sign-in of that name").doesNotContain("elsewhere");
    }
    assertThat(a.requests.get() + b.requests.get()).isEqualTo(before);
    assertThat(a.authorizationRequests).isEmpty();
    assertThat(b.authorizationRequests).isEmpty();
  }

  @Test
  void withoutIssuerClientsPathsUnderTheLoginPathAreTheApps() throws Exception {
    start(false);

    HttpResponse<String> r = new TestBrowser().get(app.uri("/login/partners"));

    assertThat(r.statusCode()).as("an ordinary protected page: sent to log in").isEqualTo(302);
    assertThat(location(r).toString()).startsWith(a.issuer() + "/authorize");
  }
}
