package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RecordingListener;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class EventListenerTest {

  private FilterServers apps;

  @Test
  void aListenerNamedInWebXmlHearsLoginsRefusalsAndLogoutWithoutSecrets(TestAuthServer op)
      throws Exception {
    RecordingListener.EVENTS.clear();
    Map<String, String> p = op.filterParams();
    p.put("eventListener", RecordingListener.class.getName());
    FilterServer app = apps.start(p);
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    assertThat(app.getWithToken("bad.token.value").statusCode()).isEqualTo(401);
    assertThat(location(browser.get(app.uri("/logout"))).toString()).startsWith(op.issuer());
    assertThat(browser.get(app.uri("/callback?code=x&state=y")).statusCode()).isEqualTo(400);
    assertThat(RecordingListener.EVENTS)
        .containsSubsequence(
            "loginSucceeded alice",
            "validationFailed invalid_token The token is malformed",
            "loggedOut alice");
    assertThat(RecordingListener.EVENTS).anyMatch(e -> e.startsWith("loginFailed "));
    assertThat(String.join("\n", RecordingListener.EVENTS)).doesNotContain("bad.token.value");
  }

  @Test
  void anEventListenerThatCannotBeCreatedStopsStartUpNamingTheKey() {
    assertThatThrownBy(() -> OidcConfig.builder().set("eventListener", "com.example.Missing"))
        .hasMessageStartingWith("eventListener: cannot create an instance");
    assertThatThrownBy(() -> OidcConfig.builder().set("eventListener", "java.lang.String"))
        .hasMessageStartingWith("eventListener: does not implement");
  }
}
