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
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mix-up attack of RFC 9700 section 4.4 across {@code issuerClients}, end to end: a malicious
 * issuer among the configured ones sends the victim's browser on to the honest issuer, with the
 * honest client id, the honest issuer's redirect URI, its own PKCE challenge and nonce and the
 * victim's state. The honest issuer (which, like Entra ID, Google and Cognito, sends no RFC 9207
 * {@code iss}) signs the victim in and returns an honest code. The callback arrived at the honest
 * issuer's redirect URI but the login was started at the malicious one, so it is refused: no
 * session, and the honest code never reaches the malicious token endpoint.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class IssuerMixUpAttackTest {

  private TestAuthServer honest;
  private TestAuthServer evil;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    honest.sendsIss = false;
    honest.nextUser = "victim";
    evil.sendsIss = false;
    evil.clientId = "evil-app";
    evil.clientSecret = "evil-secret";
    Map<String, String> p = honest.filterParams();
    p.put("additionalIssuers", evil.issuer());
    p.put(
        "issuerClients",
        "staff=" + honest.issuer() + ", evil=" + evil.issuer() + " evil-app evil-secret");
    app = apps.start(p);
  }

  /** The malicious issuer's authorization endpoint: on to the honest one, as the victim's login. */
  private void evilSendsLoginsOnToHonest() {
    URI honestRedirectUri = app.uri("/callback"); // registered at the honest issuer
    evil.authorizeInstead =
        own -> {
          Map<String, String> q = new LinkedHashMap<>();
          q.put("response_type", "code");
          q.put("client_id", TestAuthServer.CLIENT_ID);
          q.put("redirect_uri", honestRedirectUri.toString());
          q.put("scope", "openid");
          q.put("state", own.get("state"));
          q.put("nonce", own.get("nonce"));
          q.put("code_challenge", own.get("code_challenge"));
          q.put("code_challenge_method", "S256");
          return honest.issuer()
              + "/authorize?"
              + q.entrySet().stream()
                  .map(
                      e ->
                          e.getKey()
                              + "="
                              + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                  .collect(Collectors.joining("&"));
        };
  }

  @Test
  void aMaliciousIssuerCannotHaveTheHonestIssuersCodeSentToIt() throws Exception {
    evilSendsLoginsOnToHonest();
    TestBrowser victim = new TestBrowser();

    HttpResponse<String> toEvil = victim.get(app.uri("/resource?oidc_issuer=evil"));
    assertThat(location(toEvil).toString()).startsWith(evil.issuer() + "/authorize");
    HttpResponse<String> toHonest = victim.get(location(toEvil));
    assertThat(location(toHonest).toString()).startsWith(honest.issuer() + "/authorize");
    HttpResponse<String> honestAnswer = victim.get(location(toHonest));
    URI callback = location(honestAnswer);
    assertThat(callback.getPath()).isEqualTo("/app/callback");
    assertThat(callback.getQuery()).contains("code=").doesNotContain("iss=");

    HttpResponse<String> atCallback = victim.get(callback);

    assertThat(atCallback.statusCode()).isEqualTo(400);
    assertThat(atCallback.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(atCallback.body())
        .contains("Sign-in failed", "came back at another issuer&#39;s redirect URI");
    assertThat(evil.tokenRequests.get())
        .as("the honest code was never sent to the malicious token endpoint")
        .isZero();
    assertThat(honest.tokenRequests.get()).isZero();
    assertThat(victim.cookie("oidc_session")).isNull();
    assertThat(victim.cookie("oidc_session.evil")).isNull();
    HttpResponse<String> after = victim.get(app.uri("/resource"));
    assertThat(after.statusCode()).as("no session: sent to log in").isEqualTo(302);
  }

  @Test
  void eachIssuerIsGivenARedirectUriOfItsOwn() throws Exception {
    HttpResponse<String> atEvil = new TestBrowser().get(app.uri("/resource?oidc_issuer=evil"));
    HttpResponse<String> atHonest = new TestBrowser().get(app.uri("/resource"));

    assertThat(redirectUriOf(atEvil)).isEqualTo(app.uri("/callback/evil").toString());
    assertThat(redirectUriOf(atHonest)).isEqualTo(app.uri("/callback").toString());
  }

  private static String redirectUriOf(HttpResponse<String> toAuthorize) {
    assertThat(toAuthorize.statusCode()).isEqualTo(302);
    for (String pair : location(toAuthorize).getRawQuery().split("&")) {
      if (pair.startsWith("redirect_uri=")) {
        return URLDecoder.decode(pair.substring(13), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no redirect_uri");
  }

  @Test
  void aLoginAtEachIssuerStillFinishesAtItsOwnRedirectUri() throws Exception {
    evil.nextUser = "eve";
    TestBrowser atEvil = new TestBrowser();
    TestBrowser atHonest = new TestBrowser();

    assertThat(seen(atEvil.navigate(app.uri("/resource?oidc_issuer=evil"))).get("principal"))
        .isEqualTo("eve");
    assertThat(seen(atHonest.navigate(app.uri("/resource"))).get("principal")).isEqualTo("victim");
  }

  @Test
  void aResponseForOneIssuersLoginAtAnotherIssuersRedirectUriIsRefused() throws Exception {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> toEvil = browser.get(app.uri("/resource?oidc_issuer=evil"));
    URI evilCallback = location(browser.get(location(toEvil)));
    assertThat(evilCallback.getPath()).isEqualTo("/app/callback/evil");

    HttpResponse<String> atHonestPath =
        browser.get(app.uri("/callback?" + evilCallback.getRawQuery()));

    assertThat(atHonestPath.statusCode()).isEqualTo(400);
    assertThat(atHonestPath.body()).contains("came back at another issuer&#39;s redirect URI");
    assertThat(evil.tokenRequests.get()).isZero();
    assertThat(honest.tokenRequests.get()).isZero();
    assertThat(browser.cookie("oidc_session.evil")).isNull();
  }
}
