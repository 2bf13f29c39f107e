package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code antiForgeryHeader}: a session-cookie request with an unsafe method must carry the header;
 * bearer callers and safe methods are not affected; a {@code pathRules} line can switch it off.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class AntiForgeryHeaderTest {

  private static final String REFUSED =
      "{\"error\":\"access_denied\",\"error_description\":\"This request needs the X-CSRF header"
          + " (anti-forgery)\"}";

  private TestAuthServer op;
  private FilterServers apps;

  private FilterServer start(Map<String, String> extra) throws Exception {
    Map<String, String> p = op.filterParams();
    p.putAll(extra);
    return apps.start(p);
  }

  private static TestBrowser signIn(FilterServer app) throws Exception {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = browser.navigate(app.uri("/resource"));
    assertThat(page.statusCode()).isEqualTo(200);
    return browser;
  }

  private String accessToken() {
    long now = System.currentTimeMillis();
    return TestIdp.sign(
        op.signingKey(),
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(op.signingKey().getKeyID())
            .type(JOSEObjectType.JWT)
            .build(),
        new JWTClaimsSet.Builder()
            .issuer(op.issuer())
            .subject("bob")
            .audience(TestAuthServer.CLIENT_ID)
            .issueTime(new Date(now - 1000))
            .expirationTime(new Date(now + 300_000))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", "openid read")
            .build());
  }

  @Test
  void aCookiePostWithoutTheHeaderGets403AndNeverReachesTheApp() throws Exception {
    FilterServer app = start(Map.of("antiForgeryHeader", "X-CSRF"));
    TestBrowser browser = signIn(app);
    int before = app.appRequests();

    HttpResponse<String> r = browser.postForm(app.uri("/api/orders"), "item=1");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo(REFUSED);
    assertThat(app.appRequests()).isEqualTo(before);
  }

  @Test
  void aCookiePostWithTheHeaderPassesWhateverItsValue() throws Exception {
    FilterServer app = start(Map.of("antiForgeryHeader", "X-CSRF"));
    TestBrowser browser = signIn(app);

    HttpResponse<String> r = browser.postForm(app.uri("/api/orders"), "item=1", "X-CSRF", "1");
    HttpResponse<String> empty = browser.postForm(app.uri("/api/orders"), "item=1", "x-csrf", "");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(r).get("principal")).isEqualTo("alice");
    assertThat(empty.statusCode()).isEqualTo(200);
  }

  @Test
  void safeMethodsPassWithoutTheHeader() throws Exception {
    FilterServer app = start(Map.of("antiForgeryHeader", "X-CSRF"));
    TestBrowser browser = signIn(app);

    assertThat(browser.get(app.uri("/api/orders")).statusCode()).isEqualTo(200);
  }

  @Test
  void aBearerPostWithoutTheHeaderPasses() throws Exception {
    FilterServer app = start(Map.of("antiForgeryHeader", "X-CSRF"));

    HttpResponse<String> r =
        new TestBrowser()
            .postForm(app.uri("/api/orders"), "item=1", "Authorization", "Bearer " + accessToken());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(r).get("principal")).isEqualTo("bob");
  }

  @Test
  void aPathRulesLineWithAntiForgeryOffExemptsItsPathsOnly() throws Exception {
    FilterServer app =
        start(
            Map.of(
                "antiForgeryHeader",
                "X-CSRF",
                "pathRules",
                "POST /forms/* anti_forgery=off\n/api/*"));
    TestBrowser browser = signIn(app);

    HttpResponse<String> form = browser.postForm(app.uri("/forms/contact"), "text=hi");
    HttpResponse<String> api = browser.postForm(app.uri("/api/orders"), "item=1");
    HttpResponse<String> other = browser.postForm(app.uri("/other"), "item=1");

    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(api.statusCode()).isEqualTo(403);
    assertThat(other.statusCode()).isEqualTo(403);
  }

  @Test
  void offByDefault() throws Exception {
    FilterServer app = start(Map.of());
    TestBrowser browser = signIn(app);

    assertThat(browser.postForm(app.uri("/api/orders"), "item=1").statusCode()).isEqualTo(200);
  }

  @Test
  void antiForgeryInPathRulesWithoutTheHeaderStopsStartUpNamingPathRules() {
    Map<String, String> p = op.filterParams();
    p.put("pathRules", "/forms/* anti_forgery=off");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> dev.oidcgate.oidc.config.OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("pathRules: anti_forgery= needs antiForgeryHeader");
  }

  @Test
  void aBadAntiForgeryWordStopsStartUp() {
    Map<String, String> p = op.filterParams();
    p.put("antiForgeryHeader", "X-CSRF");
    p.put("pathRules", "/forms/* anti_forgery=maybe");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> dev.oidcgate.oidc.config.OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("pathRules")
        .hasMessageContaining("anti_forgery=on or anti_forgery=off");
  }
}
