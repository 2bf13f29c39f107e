package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Browsers log in at either of two issuers through one filter ({@code issuerClients}), each issuer
 * with its own client: the login goes where {@code oidc_issuer} says, the callback is finished by
 * the issuer the login was started at, and the session is kept, refreshed and ended at its own
 * issuer. A session carried over to the other issuer's cookie is no session; an issuer not on the
 * list is never contacted.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class MultiIssuerLoginTest {

  private TestAuthServer a;
  private TestAuthServer b;
  private TestAuthServer third;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    b.clientId = "partners-app";
    b.clientSecret = "partners-secret";
    a.nextUser = "ann";
    b.nextUser = "ben";
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", a.issuer());
    p.put("clientId", TestAuthServer.CLIENT_ID);
    p.put("clientSecret", TestAuthServer.CLIENT_SECRET);
    p.put("additionalIssuers", b.issuer());
    p.put(
        "issuerClients",
        "staff="
            + a.issuer()
            + ", partners="
            + b.issuer()
            + " partners-app ${sys:partners.secret}");
    System.setProperty("partners.secret", "partners-secret");
    app = apps.start(p);
  }

  @AfterEach
  void stop() {
    System.clearProperty("partners.secret");
  }

  private HttpResponse<String> signIn(TestBrowser browser, String issuerName) throws Exception {
    return browser.navigate(app.uri("/resource?oidc_issuer=" + issuerName));
  }

  @Test
  void aBrowserSignsInAtEitherIssuerWithThatIssuersClient() throws Exception {
    TestBrowser atA = new TestBrowser();
    TestBrowser atB = new TestBrowser();

    HttpResponse<String> first = signIn(atA, "staff");
    HttpResponse<String> second = signIn(atB, "partners");

    assertThat(seen(first).get("principal")).isEqualTo("ann");
    assertThat(seen(second).get("principal")).isEqualTo("ben");
    assertThat(a.authorizationRequests).hasSize(1);
    assertThat(a.authorizationRequests.get(0).get("client_id")).isEqualTo("web-app");
    assertThat(b.authorizationRequests).hasSize(1);
    assertThat(b.authorizationRequests.get(0).get("client_id")).isEqualTo("partners-app");
    assertThat(b.codeExchanges.get()).as("B's code was exchanged at B with B's client").isOne();
    // Each session goes on working, with no further login.
    assertThat(seen(atA.get(app.uri("/resource"))).get("principal")).isEqualTo("ann");
    assertThat(seen(atB.get(app.uri("/resource"))).get("principal")).isEqualTo("ben");
    assertThat(a.authorizationRequests).hasSize(1);
    assertThat(b.authorizationRequests).hasSize(1);
  }

  @Test
  void withoutTheParameterTheLoginGoesToIssuer() throws Exception {
    HttpResponse<String> r = new TestBrowser().get(app.uri("/resource"));

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(location(r).toString()).startsWith(a.issuer() + "/authorize");
  }

  @Test
  void aSessionOfOneIssuerReplayedAsTheOthersIsNoSession() throws Exception {
    TestBrowser atB = new TestBrowser();
    assertThat(seen(signIn(atB, "partners")).get("principal")).isEqualTo("ben");
    String sealedForB = atB.cookie("oidc_session.partners");
    assertThat(sealedForB).isNotNull();
    assertThat(atB.cookie("oidc_session")).isNull();

    TestBrowser mallory = new TestBrowser();
    mallory.setCookie(app.uri("/"), "oidc_session", sealedForB);
    HttpResponse<String> asA = mallory.get(app.uri("/resource"));

    assertThat(asA.statusCode()).as("sent to log in, not let in").isEqualTo(302);
    assertThat(location(asA).toString()).startsWith(a.issuer() + "/authorize");

    TestBrowser atA = new TestBrowser();
    assertThat(seen(signIn(atA, "staff")).get("principal")).isEqualTo("ann");
    TestBrowser eve = new TestBrowser();
    eve.setCookie(app.uri("/"), "oidc_session.partners", atA.cookie("oidc_session"));
    HttpResponse<String> asB = eve.get(app.uri("/resource"));
    assertThat(asB.statusCode()).isEqualTo(302);
  }

  @Test
  void aLoginForAnIssuerNotOnTheListIsRefusedWithoutAnyRequestToIt() throws Exception {
    int before = third.requests.get();
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> byUrl =
        browser.get(
            app.uri(
                "/resource?oidc_issuer="
                    + URLEncoder.encode(third.issuer(), StandardCharsets.UTF_8)));
    HttpResponse<String> byName = browser.get(app.uri("/resource?oidc_issuer=elsewhere"));

    assertThat(byUrl.statusCode()).isEqualTo(400);
    assertThat(byName.statusCode()).isEqualTo(400);
    assertThat(byUrl.headers().firstValue("Location")).isEmpty();
    assertThat(third.requests.get()).isEqualTo(before);
    assertThat(a.authorizationRequests).isEmpty();
    assertThat(b.authorizationRequests).isEmpty();
  }

  @Test
  void theCallbackChecksIssAgainstTheIssuerTheLoginWasStartedAt() throws Exception {
    b.authorizationResponseIss = a.issuer(); // a mix-up: B's response claims to come from A
    HttpResponse<String> r = signIn(new TestBrowser(), "partners");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(b.codeExchanges.get()).isZero();
    assertThat(a.codeExchanges.get()).isZero();
  }

  @Test
  void loginsAtBothIssuersInFlightAtOnceBothFinishAndTheLastOneIsTheSession() throws Exception {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> toB = browser.get(app.uri("/resource?oidc_issuer=partners"));
    assertThat(location(toB).toString()).startsWith(b.issuer() + "/authorize");

    assertThat(seen(signIn(browser, "staff")).get("principal")).isEqualTo("ann");
    HttpResponse<String> backFromB = browser.navigate(location(toB));

    assertThat(seen(backFromB).get("principal")).isEqualTo("ben");
    assertThat(browser.cookie("oidc_session")).as("the session at A ended").isNull();
    assertThat(seen(browser.get(app.uri("/resource"))).get("principal")).isEqualTo("ben");
  }

  @Test
  void aSessionIsRefreshedAtItsOwnIssuer() throws Exception {
    b.accessTokenLifetime = 2; // due for refresh after half its life
    TestBrowser browser = new TestBrowser();
    assertThat(seen(signIn(browser, "partners")).get("principal")).isEqualTo("ben");
    Thread.sleep(1_200);

    HttpResponse<String> later = browser.get(app.uri("/resource"));

    assertThat(seen(later).get("principal")).isEqualTo("ben");
    assertThat(b.refreshes.get()).isOne();
    assertThat(a.refreshRequests.get()).isZero();
  }

  @Test
  void logoutEndsTheSessionAtItsOwnIssuer() throws Exception {
    TestBrowser browser = new TestBrowser();
    signIn(browser, "partners");

    HttpResponse<String> out = browser.get(app.uri("/logout"));

    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(location(out).toString()).startsWith(b.issuer());
    assertThat(b.revoked).isNotEmpty();
    assertThat(a.revoked).isEmpty();
    HttpResponse<String> after = browser.get(app.uri("/resource"));
    assertThat(after.statusCode()).isEqualTo(302);
  }

  @Test
  void anIssuerClientOfAnIssuerOffTheListStopsStartUpWithoutQuotingItsSecret() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", a.issuer());
    p.put("clientId", TestAuthServer.CLIENT_ID);
    p.put("clientSecret", TestAuthServer.CLIENT_SECRET);
    p.put("issuerClients", "elsewhere=" + third.issuer() + " other-app s3cret-value");
    OidcConfig config = OidcConfig.fromInitParams(p);

    assertThatThrownBy(() -> IssuerGates.start(config).close())
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("issuerClients")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThat(third.requests.get()).isZero();
  }

  /** An access token the way {@code op} would sign one, for this app's client. */
  private static String tokenOf(TestAuthServer op) throws Exception {
    long now = System.currentTimeMillis();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(op.signingKey().getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(op.issuer())
                .subject("trudy")
                .audience(TestAuthServer.CLIENT_ID)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 300_000))
                .claim("scope", "openid") // an access token, not an ID token
                .build());
    jwt.sign(new RSASSASigner(op.signingKey()));
    return jwt.serialize();
  }

  @Test
  void aTokenOfAThirdIssuerIsRefusedAndTheListedIssuersAreAccepted() throws Exception {
    URI resource = app.uri("/resource");
    HttpResponse<String> fromB =
        new TestBrowser().get(resource, "Authorization", "Bearer " + tokenOf(b), "Accept", "*/*");
    assertThat(fromB.statusCode())
        .as("B's bearer tokens are for B's client, partners-app")
        .isEqualTo(401);
    assertThat(
            new TestBrowser()
                .get(resource, "Authorization", "Bearer " + tokenOf(a), "Accept", "*/*")
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> r =
        new TestBrowser()
            .get(resource, "Authorization", "Bearer " + tokenOf(third), "Accept", "*/*");

    assertThat(r.statusCode()).isEqualTo(401);
  }
}
