package dev.oidcgate.keycloak;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTParser;
import dev.oidcgate.oidc.testsupport.FilterServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A browser signing in to a filter in Jetty through the real Keycloak's login form. */
final class KeycloakSignIn {

  private KeycloakSignIn() {}

  /**
   * The filter sends the browser to Keycloak, the login form is posted with {@code user}'s
   * password, Keycloak sends it back to the callback, the filter to {@code path}.
   *
   * @return the answer at {@code path}
   */
  static HttpResponse<String> signIn(Browser browser, FilterServer app, String path, String user)
      throws Exception {
    HttpResponse<String> first = browser.get(app.uri(path));
    assertThat(first.statusCode()).isEqualTo(302);
    HttpResponse<String> loginPage = browser.get(location(first));
    assertThat(loginPage.statusCode()).as("Keycloak's login page").isEqualTo(200);
    HttpResponse<String> afterLogin =
        browser.postForm(
            KeycloakInteropIT.loginFormAction(loginPage),
            "username="
                + user
                + "&password="
                + URLEncoder.encode(KeycloakInteropIT.PASSWORDS.get(user), StandardCharsets.UTF_8)
                + "&credentialId=");
    assertThat(afterLogin.statusCode()).as(afterLogin.body()).isEqualTo(302);
    HttpResponse<String> back = browser.get(location(afterLogin));
    assertThat(back.statusCode()).as("the filter's callback: %s", back.body()).isEqualTo(302);
    return browser.get(location(back));
  }

  /** The claims of the token the app got in {@code header} (an echo servlet's answer). */
  static Map<String, Object> tokenClaims(HttpResponse<String> page, String header)
      throws Exception {
    Map<?, ?> headers = (Map<?, ?>) seen(page).get("headers");
    List<?> values = (List<?>) headers.get(header);
    assertThat(values).as("the %s header the app got", header).hasSize(1);
    String token = ((String) values.get(0)).replaceFirst("^Bearer ", "");
    return JWTParser.parse(token).getJWTClaimsSet().toJSONObject();
  }
}
