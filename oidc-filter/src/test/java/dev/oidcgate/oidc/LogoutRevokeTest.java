package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code logoutRevoke}: whether logout revokes the session's tokens at the provider. */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class LogoutRevokeTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private void start(String logoutRevoke) throws Exception {
    Map<String, String> p = op.filterParams();
    if (logoutRevoke != null) {
      p.put("logoutRevoke", logoutRevoke);
    }
    app = apps.start(p);
  }

  @Test
  void byDefaultLogoutRevokesTheRefreshTokenButNotAJwtAccessToken() throws Exception {
    start(null);
    TestBrowser browser = new TestBrowser();
    browser.navigate(app.uri("/resource"));

    browser.get(app.uri("/logout"));

    // A JWT access token is left to expire: many IdPs answer 400 unsupported_token_type.
    assertThat(op.revoked).containsExactly(op.refreshTokensIssued.get(0));
  }

  @Test
  void byDefaultLogoutRevokesTheRefreshTokenAndAnOpaqueAccessToken() throws Exception {
    op.opaqueAccessTokens = true;
    start(null);
    TestBrowser browser = new TestBrowser();
    var page = browser.navigate(app.uri("/resource"));
    Object authorization =
        ((Map<?, ?>) FilterServer.seen(page).get("headers")).get("authorization");
    String accessToken = ((java.util.List<?>) authorization).get(0).toString().substring(7);
    assertThat(accessToken).startsWith("opaque-");

    browser.get(app.uri("/logout"));

    assertThat(op.revoked).containsExactly(op.refreshTokensIssued.get(0), accessToken);
  }

  @Test
  void withLogoutRevokeOffLogoutEndsTheSessionButRevokesNothing() throws Exception {
    start("false");
    TestBrowser browser = new TestBrowser();
    browser.navigate(app.uri("/resource"));

    var logout = browser.get(app.uri("/logout"));

    assertThat(op.revoked).isEmpty();
    assertThat(location(logout).toString()).startsWith(op.issuer() + "/logout?");
    var after = browser.get(app.uri("/resource"));
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(location(after).toString()).startsWith(op.issuer() + "/authorize");
  }
}
