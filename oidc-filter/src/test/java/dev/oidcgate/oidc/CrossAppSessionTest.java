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
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions belong to one issuer and one client (issue 9, item 5). Apps that share {@code
 * sessionSecret} (one environment variable for several apps is common) must not accept each other's
 * sessions: otherwise an account at IdP A, or a login to client A, is a session at app B.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class CrossAppSessionTest {

  private static final String SHARED_SECRET = "one-secret-shared-by-several-apps-0123456789";

  private TestAuthServer idpA;
  private TestAuthServer idpB;
  private FilterServers apps;
  private FilterServer appA;
  private FilterServer appB;

  private static Map<String, String> params(TestAuthServer idp, String clientId) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", clientId);
    p.put("clientSecret", TestAuthServer.CLIENT_SECRET);
    p.put("sessionSecret", SHARED_SECRET);
    return p;
  }

  /** Mallory signs in at app A and carries his session cookie over to app B. */
  private HttpResponse<String> carrySessionFromAToB() throws Exception {
    TestBrowser mallory = new TestBrowser();
    idpA.nextUser = "mallory";
    HttpResponse<String> atA = mallory.navigate(appA.uri("/resource"));
    assertThat(seen(atA).get("principal")).isEqualTo("mallory");
    TestBrowser atB = new TestBrowser();
    atB.setCookie(appB.uri("/"), "oidc_session", mallory.cookie("oidc_session"));
    return atB.get(appB.uri("/resource"));
  }

  @Test
  void aSessionMadeWithAnotherIdpIsNoSessionHereDespiteASharedSecret() throws Exception {
    appA = apps.start(params(idpA, TestAuthServer.CLIENT_ID));
    appB = apps.start(params(idpB, TestAuthServer.CLIENT_ID));
    HttpResponse<String> r = carrySessionFromAToB();
    assertThat(r.statusCode()).as("app B sends the browser to its own IdP").isEqualTo(302);
    assertThat(location(r).toString()).startsWith(idpB.issuer() + "/authorize");
  }

  @Test
  void aSessionMadeForAnotherClientOfTheSameIdpIsNoSessionHere() throws Exception {
    appA = apps.start(params(idpA, TestAuthServer.CLIENT_ID));
    appB = apps.start(params(idpA, "another-app"));
    HttpResponse<String> r = carrySessionFromAToB();
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(location(r).toString()).startsWith(idpA.issuer() + "/authorize");
    assertThat(location(r).getRawQuery()).contains("client_id=another-app");
  }

  @Test
  void twoFiltersOfOneAppNeverReadEachOthersContainerSession() throws Exception {
    Map<String, String> a = params(idpA, TestAuthServer.CLIENT_ID);
    Map<String, String> b = params(idpB, TestAuthServer.CLIENT_ID);
    a.put("sessionStore", "container");
    b.put("sessionStore", "container");
    Map<String, Map<String, String>> filters = new LinkedHashMap<>();
    filters.put("/a/*", a);
    filters.put("/b/*", b);
    appA = apps.withFilters(filters);
    TestBrowser browser = new TestBrowser();
    idpA.nextUser = "mallory";
    HttpResponse<String> atA = browser.navigate(appA.uri("/a/resource"));
    assertThat(seen(atA).get("principal")).isEqualTo("mallory");
    // The same browser, so the same HttpSession, at the filter that trusts IdP B.
    HttpResponse<String> atB = browser.get(appA.uri("/b/resource"));
    assertThat(atB.statusCode()).isEqualTo(302);
    URI login = location(atB);
    assertThat(login.toString()).startsWith(idpB.issuer() + "/authorize");
    // and the session at A is untouched by the visit
    assertThat(seen(browser.get(appA.uri("/a/resource"))).get("principal")).isEqualTo("mallory");
  }
}
