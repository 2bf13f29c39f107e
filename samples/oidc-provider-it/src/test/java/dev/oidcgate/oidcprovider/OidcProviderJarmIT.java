package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static dev.oidcgate.oidcprovider.OpSignIn.expectRedirect;
import static dev.oidcgate.oidcprovider.OpSignIn.formAction;
import static dev.oidcgate.oidcprovider.OpSignIn.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.testlogs.SecretLedger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JWT-secured authorization responses (JARM) from oidc-provider: a client registered with {@code
 * authorization_signed_response_alg=RS256} and the JWT response modes, the filter with {@code
 * responseMode} {@code jwt}, {@code query.jwt} and {@code form_post.jwt}, through the OP's own
 * login and consent pages. The OP signs the response; the filter checks it before it uses the code.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderJarmIT {

  private static final Pattern RESPONSE_INPUT =
      Pattern.compile("name=\"response\"[^>]*value=\"([^\"]+)\"");

  private static OidcProviderServer op;

  @BeforeAll
  @Timeout(360)
  static void startProvider() throws Exception {
    op = SharedProvider.get(); // stopped when the test JVM exits
  }

  @Test
  @Timeout(60)
  void loginWorksWithTheJwtResponseMode(FilterServers servers) throws Exception {
    assertLoginWorks(servers, "jwt");
  }

  @Test
  @Timeout(60)
  void loginWorksWithQueryJwt(FilterServers servers) throws Exception {
    assertLoginWorks(servers, "query.jwt");
  }

  @Test
  @Timeout(60)
  void loginWorksWithFormPostJwt(FilterServers servers) throws Exception {
    assertLoginWorks(servers, "form_post.jwt");
  }

  private static void assertLoginWorks(FilterServers servers, String mode) throws Exception {
    AppClient client = new AppClient();
    Map<String, String> settings = client.filterSettings(op.issuer());
    settings.put("responseMode", mode);
    FilterServer app = servers.start(settings);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("authorization_signed_response_alg", "RS256");
    client.register(op, app, extra);
    TestBrowser browser = new TestBrowser();

    HttpResponse<String> first = browser.get(app.uri("/resource"));
    URI authorize = location(first);
    assertThat(query(authorize)).containsEntry("response_mode", mode);
    HttpResponse<String> atOp = throughLoginAndConsent(browser, authorize, "alice");

    HttpResponse<String> back;
    String jwt;
    if (mode.equals("form_post.jwt")) {
      assertThat(atOp.statusCode()).as("the OP's auto-submitting form").isEqualTo(200);
      Matcher m = RESPONSE_INPUT.matcher(atOp.body());
      assertThat(m.find()).as("a response input in %s", atOp.body()).isTrue();
      jwt = m.group(1);
      SecretLedger.record("JARM response", jwt);
      assertThat(formAction(atOp).toString()).isEqualTo(app.uri("/callback").toString());
      back =
          browser.postForm(
              app.uri("/callback"), "response=" + URLEncoder.encode(jwt, StandardCharsets.UTF_8));
    } else {
      URI callback = location(expectRedirect(atOp));
      Map<String, String> answer = query(callback);
      assertThat(answer).containsOnlyKeys("response");
      jwt = answer.get("response");
      SecretLedger.record("JARM response", jwt);
      back = browser.get(callback);
    }
    SignedJWT signed = SignedJWT.parse(jwt);
    assertThat(signed.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(signed.getJWTClaimsSet().getIssuer()).isEqualTo(op.issuer());
    assertThat(signed.getJWTClaimsSet().getAudience()).containsExactly(client.id);
    assertThat(signed.getJWTClaimsSet().getClaim("code")).isNotNull();

    assertThat(back.statusCode()).as("the filter's callback: %s", back.body()).isEqualTo(302);
    HttpResponse<String> page = browser.get(location(back));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(seen(page).get("principal")).isEqualTo("alice");
  }

  @Test
  @Timeout(60)
  void aPlainResponseIsRefusedWhenTheFilterExpectsJarm(FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    Map<String, String> settings = client.filterSettings(op.issuer());
    settings.put("responseMode", "query.jwt");
    FilterServer app = servers.start(settings);
    client.register(op, app, Map.<String, Object>of("authorization_signed_response_alg", "RS256"));
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    // A downgrade: the same request, but asking the OP for a plain query response.
    URI plain =
        URI.create(authorize.toString().replace("response_mode=query.jwt", "response_mode=query"));
    URI callback = location(expectRedirect(throughLoginAndConsent(browser, plain, "alice")));
    assertThat(query(callback)).containsKeys("code", "state");
    SecretLedger.record("authorization code", query(callback).get("code"));

    HttpResponse<String> back = browser.get(callback);

    assertThat(back.statusCode()).isEqualTo(400);
    assertThat(back.body()).contains("Sign-in failed", "not a signed JWT");
    assertThat(browser.cookie("oidc_session")).isNull();
  }

  /** The OP's login and consent pages; returns its answer after consent (to the callback). */
  private static HttpResponse<String> throughLoginAndConsent(
      TestBrowser browser, URI authorize, String user) throws Exception {
    HttpResponse<String> loginPage = browser.get(location(expectRedirect(browser.get(authorize))));
    assertThat(loginPage.statusCode())
        .as("the OP's login page: %s", loginPage.body())
        .isEqualTo(200);
    URI resume =
        location(
            expectRedirect(
                browser.postForm(
                    formAction(loginPage),
                    "prompt=login&login="
                        + URLEncoder.encode(user, StandardCharsets.UTF_8)
                        + "&password=any-password")));
    HttpResponse<String> consentPage = browser.get(location(expectRedirect(browser.get(resume))));
    assertThat(consentPage.statusCode()).as("the OP's consent page").isEqualTo(200);
    URI resumeAgain =
        location(expectRedirect(browser.postForm(formAction(consentPage), "prompt=consent")));
    return browser.get(resumeAgain);
  }
}
