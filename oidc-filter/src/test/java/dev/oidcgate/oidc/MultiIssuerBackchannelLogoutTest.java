package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Back-channel logout with several issuers: a logout token of an {@code issuerClients} issuer,
 * checked with that issuer's keys and its own client id, ends that issuer's sessions; a token of an
 * issuer not on the list, or of a listed issuer that only sends bearer tokens, ends nothing.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class MultiIssuerBackchannelLogoutTest {

  private final HttpClient idpSide = HttpClient.newHttpClient();
  private TestAuthServer a;
  private TestAuthServer b;
  private TestAuthServer bearerOnly;
  private TestAuthServer third;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    b.clientId = "partners-app";
    b.clientSecret = "partners-secret";
    a.nextUser = "ann";
    b.nextUser = "ben";
    a.idTokenTweak = t -> t.claim("sid", "a-session");
    b.idTokenTweak = t -> t.claim("sid", "b-session");
    Map<String, String> p = a.filterParams();
    p.put("additionalIssuers", b.issuer() + ", " + bearerOnly.issuer());
    p.put(
        "issuerClients",
        "staff=" + a.issuer() + ", partners=" + b.issuer() + " partners-app partners-secret");
    app = apps.start(p);
  }

  private TestBrowser signedIn(String issuerName, String user) throws Exception {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> r = browser.navigate(app.uri("/resource?oidc_issuer=" + issuerName));
    assertThat(seen(r).get("principal")).isEqualTo(user);
    return browser;
  }

  @Test
  void aLogoutTokenOfAFurtherIssuerEndsItsSessionsOnly() throws Exception {
    TestBrowser ben = signedIn("partners", "ben");
    TestBrowser ann = signedIn("staff", "ann");

    HttpResponse<String> r = post(logoutToken(b, "partners-app", "b-session"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ben.get(app.uri("/resource")).statusCode()).isEqualTo(302);
    assertThat(ann.get(app.uri("/resource")).statusCode()).isEqualTo(200);
    assertThat(post(logoutToken(a, TestAuthServer.CLIENT_ID, "a-session")).statusCode())
        .isEqualTo(200);
    assertThat(ann.get(app.uri("/resource")).statusCode()).isEqualTo(302);
  }

  @Test
  void aFurtherIssuersLogoutTokenMustBeForItsOwnClient() throws Exception {
    TestBrowser ben = signedIn("partners", "ben");

    HttpResponse<String> r = post(logoutToken(b, TestAuthServer.CLIENT_ID, "b-session"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("another audience");
    assertThat(ben.get(app.uri("/resource")).statusCode()).isEqualTo(200);
  }

  @Test
  void aLogoutTokenSignedByAnotherIssuersKeyIsRefused() throws Exception {
    TestBrowser ben = signedIn("partners", "ben");

    // Claims B's issuer, signed with A's key (kid op-1 exists at both): B's keys must refuse it.
    HttpResponse<String> r = post(token(b.issuer(), a.signingKey(), "partners-app", "b-session"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ben.get(app.uri("/resource")).statusCode()).isEqualTo(200);
  }

  @Test
  void aLogoutTokenOfAnIssuerNotOnTheListIsRefusedWithoutAskingIt() throws Exception {
    TestBrowser ann = signedIn("staff", "ann");
    int before = third.requests.get() + bearerOnly.requests.get();

    HttpResponse<String> foreign = post(logoutToken(third, TestAuthServer.CLIENT_ID, "a-session"));
    HttpResponse<String> fromBearerOnly =
        post(logoutToken(bearerOnly, TestAuthServer.CLIENT_ID, "a-session"));

    assertThat(foreign.statusCode()).isEqualTo(400);
    assertThat(foreign.body()).contains("issuer not allowed");
    assertThat(fromBearerOnly.statusCode()).isEqualTo(400);
    assertThat(third.requests.get() + bearerOnly.requests.get()).isEqualTo(before);
    assertThat(ann.get(app.uri("/resource")).statusCode()).isEqualTo(200);
  }

  private static String logoutToken(TestAuthServer op, String audience, String sid) {
    return token(op.issuer(), op.signingKey(), audience, sid);
  }

  private static String token(String issuer, RSAKey key, String audience, String sid) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .issueTime(new Date())
            .jwtID(UUID.randomUUID().toString())
            .claim("sid", sid)
            .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
            .build();
    return TestIdp.sign(
        key,
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(key.getKeyID())
            .type(new JOSEObjectType("logout+jwt"))
            .build(),
        claims);
  }

  private HttpResponse<String> post(String token) throws Exception {
    return idpSide.send(
        HttpRequest.newBuilder(app.uri("/backchannel-logout"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
