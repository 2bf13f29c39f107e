package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.testlogs.SecretLedger;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser signing in to a filter through oidc-provider's own pages: its login form (any name, any
 * password) and then its consent form. One {@link TestBrowser} holds the cookies of both: the OP
 * sets no {@code Secure} cookie over plain HTTP, and neither side's cookie names collide.
 */
final class OpSignIn {

  private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*\\baction=\"([^\"]+)\"");

  private OpSignIn() {}

  /**
   * The filter sends the browser to the OP, the login and consent forms are posted, the OP sends it
   * back to the callback, the filter to {@code path}.
   *
   * @return the answer at {@code path}
   */
  static HttpResponse<String> signIn(
      TestBrowser browser, FilterServer app, String issuer, String path, String user)
      throws Exception {
    return signIn(browser, app::uri, issuer, path, user);
  }

  /** Like the other, for an app that is not a {@link FilterServer}: {@code app} makes its URLs. */
  static HttpResponse<String> signIn(
      TestBrowser browser,
      java.util.function.Function<String, URI> app,
      String issuer,
      String path,
      String user)
      throws Exception {
    return followBack(browser, app, path, signInTo(browser, app, issuer, path, user));
  }

  private static HttpResponse<String> signInTo(
      TestBrowser browser,
      java.util.function.Function<String, URI> app,
      String issuer,
      String path,
      String user)
      throws Exception {
    HttpResponse<String> first = browser.get(app.apply(path));
    assertThat(first.statusCode()).as("the filter sends a navigation to log in").isEqualTo(302);
    URI authorize = location(first);
    assertThat(authorize.toString()).startsWith(issuer + "/auth?");

    HttpResponse<String> loginPage = browser.get(location(expectRedirect(browser.get(authorize))));
    assertThat(loginPage.statusCode()).as("the OP's login page").isEqualTo(200);
    assertThat(loginPage.body()).contains("name=\"login\"");
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
    assertThat(consentPage.body()).contains("value=\"consent\"");
    URI resumeAgain =
        location(expectRedirect(browser.postForm(formAction(consentPage), "prompt=consent")));

    URI callback = location(expectRedirect(browser.get(resumeAgain)));
    assertThat(callback.toString()).startsWith(app.apply("/callback").toString());
    Map<String, String> answer = query(callback);
    SecretLedger.record("authorization code", answer.get("code"));
    assertThat(answer).containsKeys("code", "state").containsEntry("iss", issuer);

    return browser.get(callback);
  }

  /** Like {@link #signIn}, up to the filter's answer at the callback, which is returned. */
  static HttpResponse<String> callbackAnswer(
      TestBrowser browser,
      java.util.function.Function<String, URI> app,
      String issuer,
      String path,
      String user)
      throws Exception {
    return signInTo(browser, app, issuer, path, user);
  }

  private static HttpResponse<String> followBack(
      TestBrowser browser,
      java.util.function.Function<String, URI> app,
      String path,
      HttpResponse<String> back)
      throws Exception {
    assertThat(back.statusCode()).as("the filter's callback: %s", back.body()).isEqualTo(302);
    assertThat(location(back)).isEqualTo(app.apply(path));
    return browser.get(location(back));
  }

  /** The action of the page's first form, resolved against the page. */
  static URI formAction(HttpResponse<String> page) {
    Matcher m = FORM_ACTION.matcher(page.body());
    assertThat(m.find()).as("a form on %s", page.uri()).isTrue();
    return page.uri().resolve(m.group(1).replace("&amp;", "&"));
  }

  /** oidc-provider answers each step of its flow with 303 See Other, GETs and POSTs alike. */
  static HttpResponse<String> expectRedirect(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("a redirect from %s: %s", r.uri(), r.body()).isEqualTo(303);
    return r;
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> q = new LinkedHashMap<>();
    if (uri.getRawQuery() == null) {
      return q;
    }
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      q.put(
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }
}
