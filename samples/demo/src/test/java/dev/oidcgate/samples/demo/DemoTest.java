package dev.oidcgate.samples.demo;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo as a newcomer meets it: sign in on the provider's login page, see the echo, /me, /api.
 */
@Timeout(120)
class DemoTest {

  private static Demo demo;

  @BeforeAll
  static void startDemo() throws Exception {
    demo = Demo.start(0, 0, Path.of(System.getProperty("demo.war")), Map.of());
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  private URI app(String path) {
    return URI.create(demo.appUri().toString().replace("localhost", "127.0.0.1") + path);
  }

  @Test
  void aNewcomerSignsInOnTheLoginPageAndSeesTheUpstreamEchoWithTheToken() throws Exception {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> first = browser.get(app("/oidc-route/get?hello=world"));
    assertThat(first.statusCode()).isEqualTo(302);
    URI authorize = location(first);
    assertThat(authorize.toString()).startsWith(demo.issuer() + "/authorize");

    HttpResponse<String> loginPage = browser.get(authorize);
    assertThat(loginPage.statusCode()).isEqualTo(200);
    assertThat(loginPage.body()).contains("name=\"username\"");
    HttpResponse<String> signedIn = browser.postForm(authorize, "username=alice&claims=");
    assertThat(signedIn.statusCode()).isEqualTo(302);
    HttpResponse<String> back = browser.get(location(signedIn));
    assertThat(location(back)).isEqualTo(app("/oidc-route/get?hello=world"));

    HttpResponse<String> echo = browser.get(location(back));
    assertThat(echo.statusCode()).isEqualTo(200);
    assertThat(echo.body())
        .contains("\"path\": \"/get\"")
        .contains("\"hello\": \"world\"")
        .contains("\"Authorization\": \"Bearer ey")
        .contains("\"X-Authenticated-User\": \"alice\"");

    HttpResponse<String> me = browser.get(app("/me"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).contains("\"sub\":\"alice\"");

    HttpResponse<String> logout = browser.get(app("/oidc-route/logout"));
    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(browser.get(app("/oidc-route/get")).statusCode()).isEqualTo(302);
  }

  @Test
  void theApiRouteWantsABearerToken() throws Exception {
    HttpResponse<String> r = new TestBrowser().get(app("/api/get"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
  }

  @Test
  void withOidcVariablesSetTheDemoUsesThatProviderInstead() throws Exception {
    try (TestAuthServer external = new TestAuthServer();
        Demo own =
            Demo.start(
                0,
                0,
                Path.of(System.getProperty("demo.war")),
                Map.of(
                    "OIDC_ISSUER", external.issuer(),
                    "OIDC_CLIENT_ID", TestAuthServer.CLIENT_ID,
                    "OIDC_CLIENT_SECRET", TestAuthServer.CLIENT_SECRET))) {
      assertThat(own.issuer()).isEqualTo(external.issuer());
      TestBrowser browser = new TestBrowser();
      URI start =
          URI.create(own.appUri().toString().replace("localhost", "127.0.0.1") + "/oidc-route/get");
      HttpResponse<String> echo = browser.navigate(start);
      assertThat(echo.statusCode()).isEqualTo(200);
      assertThat(echo.body()).contains("\"X-Authenticated-User\": \"alice\"");
      assertThat(external.codeExchanges).hasValue(1);
    }
  }
}
