package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Back-channel logout from oidc-provider: the client is registered with the filter's default {@code
 * backchannel-logout} endpoint and {@code backchannel_logout_session_required}; a user signing out
 * at the OP's end-session endpoint makes the OP POST a logout token to the app, which ends that
 * browser's session and no other.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderBackchannelLogoutIT {

  private static final Pattern XSRF = Pattern.compile("name=\"xsrf\" value=\"([^\"]+)\"");

  private static OidcProviderServer op;

  @BeforeAll
  @Timeout(360)
  static void startProvider() throws Exception {
    op = SharedProvider.get(); // stopped when the test JVM exits
  }

  @Test
  @Timeout(90)
  void signingOutAtTheProviderEndsTheAppsSessionOfThatBrowserAndNoOther(FilterServers servers)
      throws Exception {
    AppClient client = new AppClient();
    FilterServer app = servers.start(client.filterSettings(op.issuer()));
    client.register(op, app);
    TestBrowser laptop = new TestBrowser();
    TestBrowser phone = new TestBrowser();
    HttpResponse<String> onLaptop = OpSignIn.signIn(laptop, app, op.issuer(), "/resource", "alice");
    HttpResponse<String> onPhone = OpSignIn.signIn(phone, app, op.issuer(), "/resource", "alice");
    assertThat(onLaptop.statusCode()).isEqualTo(200);
    assertThat(onPhone.statusCode()).isEqualTo(200);

    // The user signs out at the OP on the laptop: its end-session page asks, the form confirms.
    HttpResponse<String> askPage = laptop.get(URI.create(op.issuer() + "/session/end"));
    assertThat(askPage.statusCode()).as("the OP's sign-out page").isEqualTo(200);
    Matcher xsrf = XSRF.matcher(askPage.body());
    assertThat(xsrf.find()).as("the sign-out form: %s", askPage.body()).isTrue();
    HttpResponse<String> signedOut =
        laptop.postForm(
            OpSignIn.formAction(askPage),
            "xsrf=" + URLEncoder.encode(xsrf.group(1), StandardCharsets.UTF_8) + "&logout=yes");
    // The OP posts the logout tokens before it answers.
    assertThat(signedOut.statusCode()).as(signedOut.body()).isEqualTo(303);

    HttpResponse<String> laptopAfter = laptop.get(app.uri("/resource"));
    assertThat(laptopAfter.statusCode())
        .as("the laptop's session ended at the app: a navigation logs in again")
        .isEqualTo(302);
    assertThat(location(laptopAfter).toString()).startsWith(op.issuer() + "/auth?");

    HttpResponse<String> phoneAfter = phone.get(app.uri("/resource"));
    assertThat(phoneAfter.statusCode())
        .as("the phone's session, another sid at the OP, goes on")
        .isEqualTo(200);
    assertThat(seen(phoneAfter).get("principal")).isEqualTo("alice");
  }
}
