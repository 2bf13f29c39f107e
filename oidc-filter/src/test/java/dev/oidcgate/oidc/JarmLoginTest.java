package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
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
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JWT-secured authorization responses (JARM) through a real Jetty against the OP stand-in over
 * HTTP: the login works with {@code jwt}, {@code query.jwt} and {@code form_post.jwt}; a response
 * signed by another key, naming another issuer or audience, expired, unsigned, or not a JWT at all
 * is refused on the login error page before its code is used.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class JarmLoginTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private void start(String responseMode) throws Exception {
    Map<String, String> p = op.filterParams();
    p.put("responseMode", responseMode);
    app = apps.start(p);
  }

  /** Follows the login to the callback and returns the filter's answer there. */
  private HttpResponse<String> loginWith(TestBrowser browser) throws Exception {
    URI authorize = location(browser.get(app.uri("/resource")));
    HttpResponse<String> atOp = browser.get(authorize);
    if (TestBrowser.isRedirect(atOp)) {
      return browser.get(location(atOp));
    }
    String form = atOp.body();
    int at = form.indexOf("name=\"response\" value=\"") + "name=\"response\" value=\"".length();
    String jwt = form.substring(at, form.indexOf('"', at));
    return browser.postForm(
        app.uri("/callback"), "response=" + URLEncoder.encode(jwt, StandardCharsets.UTF_8));
  }

  private void assertSignedIn(TestBrowser browser, HttpResponse<String> back) throws Exception {
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(seen(browser.get(location(back))).get("principal")).isEqualTo("alice");
  }

  private void assertRefused(Function<JWTClaimsSet.Builder, String> response, String reason)
      throws Exception {
    start("query.jwt");
    op.jarmResponse = response;
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> back = loginWith(browser);
    assertThat(back.statusCode()).isEqualTo(400);
    assertThat(back.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(back.body()).contains("Sign-in failed", reason).doesNotContain("eyJ");
    assertThat(op.codeExchanges.get()).as("the code was never used").isZero();
    assertThat(browser.cookie("oidc_session")).isNull();
  }

  @Test
  void loginWorksWithTheJwtResponseMode() throws Exception {
    start("jwt");
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    assertThat(authorize.getRawQuery()).contains("response_mode=jwt");
    HttpResponse<String> atOp = browser.get(authorize);
    assertThat(location(atOp).getRawQuery()).startsWith("response=").doesNotContain("code=");
    assertSignedIn(browser, browser.get(location(atOp)));
  }

  @Test
  void loginWorksWithQueryJwt() throws Exception {
    start("query.jwt");
    TestBrowser browser = new TestBrowser();
    assertSignedIn(browser, loginWith(browser));
  }

  @Test
  void loginWorksWithFormPostJwt() throws Exception {
    start("form_post.jwt");
    TestBrowser browser = new TestBrowser();
    assertSignedIn(browser, loginWith(browser));
  }

  @Test
  void aResponseSignedByAnotherKeyIsRefused() throws Exception {
    RSAKey other = new RSAKeyGenerator(2048).keyID("op-1").generate();
    assertRefused(c -> sign(other, c), "invalid signature or key");
  }

  @Test
  void aResponseFromAnotherIssuerIsRefused() throws Exception {
    assertRefused(
        c -> sign(op.signingKey(), c.issuer("https://evil.example.com")), "unexpected issuer");
  }

  @Test
  void anUnsignedResponseIsRefused() throws Exception {
    assertRefused(c -> new PlainJWT(c.build()).serialize(), "not signed");
  }

  @Test
  void anExpiredResponseIsRefused() throws Exception {
    assertRefused(
        c ->
            sign(op.signingKey(), c.expirationTime(new Date(System.currentTimeMillis() - 600_000))),
        "has expired");
  }

  @Test
  void aResponseForAnotherAudienceIsRefused() throws Exception {
    assertRefused(
        c -> sign(op.signingKey(), c.audience("other-client")), "not meant for this client");
  }

  @Test
  void aPlainCodeResponseIsRefusedWhenJarmIsConfigured() throws Exception {
    start("query.jwt");
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    String state = null;
    for (String pair : authorize.getRawQuery().split("&")) {
      if (pair.startsWith("state=")) {
        state = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
      }
    }
    HttpResponse<String> back =
        browser.get(
            app.uri(
                "/callback?code=stolen&state="
                    + URLEncoder.encode(state, StandardCharsets.UTF_8)
                    + "&iss="
                    + URLEncoder.encode(op.issuer(), StandardCharsets.UTF_8)));
    assertThat(back.statusCode()).isEqualTo(400);
    assertThat(back.body()).contains("Sign-in failed", "not a signed JWT");
    assertThat(op.tokenRequests.get()).isZero();
  }

  private static String sign(RSAKey key, JWTClaimsSet.Builder claims) {
    try {
      return TestAuthServer.signed(key, claims.build());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
