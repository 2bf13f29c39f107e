package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
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
 * Fixed and passed-on parameters of the authorization request, as the OP over HTTP receives them.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class AuthorizationParametersTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("authorizationParameters", "audience=https://api.example.com, prompt=login");
    p.put("authorizationQueryParameters", "login_hint ui_locales");
    return p;
  }

  @Test
  void fixedAndPassedOnParametersReachTheProviderAndTheLoginStillCompletes() throws Exception {
    app = apps.start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page =
        browser.navigate(app.uri("/resource?login_hint=bob%40example.com&ui_locales=de&other=1"));
    assertThat(page.statusCode()).isEqualTo(200);
    Map<String, String> sent = op.authorizationRequests.get(0);
    assertThat(sent)
        .containsEntry("audience", "https://api.example.com")
        .containsEntry("prompt", "login")
        .containsEntry("login_hint", "bob@example.com")
        .containsEntry("ui_locales", "de")
        .doesNotContainKey("other");
  }

  @Test
  void aRepeatedPassedOnParameterIsLeftOut() throws Exception {
    app = apps.start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> first = browser.get(app.uri("/resource?login_hint=a&login_hint=b"));
    assertThat(TestBrowser.location(first).getRawQuery()).doesNotContain("login_hint");
  }

  @Test
  void theLoginPathPassesParametersOnToo() throws Exception {
    app = apps.start(params());
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> first = browser.get(app.uri("/login?return=/app/x&ui_locales=fr"));
    assertThat(TestBrowser.location(first).getRawQuery()).contains("ui_locales=fr");
  }

  @Test
  void aParameterTheFlowSetsItselfIsRefusedAtStartUp() {
    for (String[] kv :
        new String[][] {
          {"authorizationParameters", "state=fixed"},
          {"authorizationParameters", "redirect_uri=https://evil.example/cb"},
          {"authorizationQueryParameters", "login_hint nonce"}
        }) {
      assertThatThrownBy(
              () ->
                  OidcConfig.builder()
                      .issuer(op.issuer())
                      .clientId("c")
                      .clientSecret("s")
                      .set(kv[0], kv[1])
                      .build())
          .hasMessageStartingWith(kv[0])
          .hasMessageContaining("set by the login itself");
    }
  }
}
