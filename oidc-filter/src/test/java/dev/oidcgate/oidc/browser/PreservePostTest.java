package dev.oidcgate.oidc.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.testlogs.SecretLedger;
import dev.oidcgate.testlogs.TestLogCapture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code preservePost}: a person's form posted without a session is kept over the login and reaches
 * the app after it as the same POST, once, for that browser only. The filter in Jetty, a browser
 * stand-in, an OP over HTTP.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class PreservePostTest {

  private static final String TICKET = "oidc_login_replay.post";

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private void start(String... more) throws Exception {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("preservePost", "on");
    for (int i = 0; i < more.length; i += 2) {
      p.put(more[i], more[i + 1]);
    }
    app = apps.start(p);
  }

  private String origin() {
    URI u = app.uri("/");
    return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
  }

  /** A form submitted in a browser: a same-origin POST navigation. */
  private HttpResponse<String> submit(TestBrowser browser, String path, String type, String body)
      throws Exception {
    return browser.post(
        app.uri(path),
        type,
        body,
        "Accept",
        "text/html,application/xhtml+xml",
        "Sec-Fetch-Site",
        "same-origin",
        "Sec-Fetch-Mode",
        "navigate",
        "Origin",
        origin());
  }

  /** Logs in from the 303 the form got; returns where the callback sends the browser. */
  private URI logIn(TestBrowser browser, HttpResponse<String> toLogin) throws Exception {
    assertThat(toLogin.statusCode()).isEqualTo(303);
    URI authorize = TestBrowser.location(toLogin);
    assertThat(authorize.toString()).startsWith(op.issuer());
    HttpResponse<String> callback = browser.get(TestBrowser.location(browser.get(authorize)));
    assertThat(callback.statusCode()).isEqualTo(302);
    return TestBrowser.location(callback);
  }

  @Test
  void aFormPostedWithoutASessionReachesTheAppAsThePostAfterTheLoginOnce() throws Exception {
    start();
    TestBrowser browser = new TestBrowser();
    String secret = "kept-" + UUID.randomUUID();
    SecretLedger.record("preserved form body", secret);

    URI back =
        logIn(
            browser,
            submit(
                browser,
                "/orders?draft=1",
                "application/x-www-form-urlencoded",
                "item=" + secret + "&note=caf%C3%A9+au+lait&item=second"));
    assertThat(back).isEqualTo(app.uri("/orders?draft=1"));
    assertThat(browser.cookie(TICKET)).isNotNull();

    int before = app.appRequests();
    HttpResponse<String> replayed = browser.get(back);
    assertThat(replayed.statusCode()).isEqualTo(200);
    Map<String, Object> seen = FilterServer.seen(replayed);
    assertThat(seen.get("method")).isEqualTo("POST");
    assertThat(seen.get("principal")).isEqualTo("alice");
    @SuppressWarnings("unchecked")
    Map<String, Object> params = (Map<String, Object>) seen.get("parameters");
    assertThat(params)
        .containsEntry("draft", List.of("1"))
        .containsEntry("item", List.of(secret, "second"))
        .containsEntry("note", List.of("café au lait"));
    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) seen.get("headers");
    assertThat(headers).containsEntry("content-type", List.of("application/x-www-form-urlencoded"));
    assertThat(app.appRequests()).isEqualTo(before + 1);

    // A reload of the page the login came back to is a GET again: nothing is posted twice.
    HttpResponse<String> reload = browser.get(back);
    assertThat(FilterServer.seen(reload).get("method")).isEqualTo("GET");
    assertThat(FilterServer.seen(reload).get("parameters"))
        .isEqualTo(Map.of("draft", List.of("1")));

    // The body is in no log line (also checked by NoSecretInTestLogsIT through the ledger).
    String to = System.getProperty(TestLogCapture.CAPTURE_TO);
    if (to != null && Files.exists(Path.of(to, "test-output.log"))) {
      assertThat(Files.readString(Path.of(to, "test-output.log"), StandardCharsets.UTF_8))
          .doesNotContain(secret);
    }
  }

  @Test
  void theTicketReplaysNothingASecondTime() throws Exception {
    start();
    TestBrowser browser = new TestBrowser();
    URI back =
        logIn(
            browser, submit(browser, "/orders", "application/x-www-form-urlencoded", "item=once"));
    String ticket = browser.cookie(TICKET);
    assertThat(FilterServer.seen(browser.get(back)).get("method")).isEqualTo("POST");

    browser.setCookie(app.uri("/"), TICKET, ticket); // the used ticket, sent again
    HttpResponse<String> again = browser.get(back);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(again).get("method")).isEqualTo("GET");
    assertThat(FilterServer.seen(again).get("parameters")).isEqualTo(Map.of());
  }

  @Test
  void anotherBrowserWithTheTicketDoesNotGetThePostTheOwnerStillDoes() throws Exception {
    start();
    TestBrowser owner = new TestBrowser();
    URI back =
        logIn(owner, submit(owner, "/orders", "application/x-www-form-urlencoded", "item=mine"));

    // Another person, signed in with a session of their own, holding the owner's ticket.
    TestBrowser other = new TestBrowser();
    op.nextUser = "mallory";
    assertThat(other.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    other.plantCookie(app.uri("/"), TICKET, owner.cookie(TICKET), "/app");
    HttpResponse<String> stolen = other.get(back);
    assertThat(stolen.statusCode()).isEqualTo(200);
    assertThat(FilterServer.seen(stolen).get("method")).isEqualTo("GET");
    assertThat(FilterServer.seen(stolen).get("principal")).isEqualTo("mallory");

    // Without a session at all, the ticket alone is a login like any other.
    TestBrowser anonymous = new TestBrowser();
    anonymous.plantCookie(app.uri("/"), TICKET, owner.cookie(TICKET), "/app");
    assertThat(anonymous.get(back).statusCode()).isEqualTo(302);

    HttpResponse<String> mine = owner.get(back);
    assertThat(FilterServer.seen(mine).get("method")).isEqualTo("POST");
    assertThat(FilterServer.seen(mine).get("principal")).isEqualTo("alice");
  }

  @Test
  void aCrossSiteFormIsNotKeptTheBrowserComesBackWithAGet() throws Exception {
    start();
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> toLogin =
        browser.postForm(
            app.uri("/orders"),
            "item=forged",
            "Accept",
            "text/html",
            "Sec-Fetch-Site",
            "cross-site",
            "Sec-Fetch-Mode",
            "navigate",
            "Origin",
            "https://evil.example");
    URI back = logIn(browser, toLogin);
    assertThat(browser.cookie(TICKET)).isNull();
    assertThat(FilterServer.seen(browser.get(back)).get("method")).isEqualTo("GET");
  }

  @Test
  void multipartAndOversizedFormsAreNotKept() throws Exception {
    start("preservePostMaxSize", "100");
    TestBrowser browser = new TestBrowser();
    URI back =
        logIn(
            browser,
            submit(browser, "/upload", "application/x-www-form-urlencoded", "a=" + "x".repeat(99)));
    assertThat(browser.cookie(TICKET)).isNull();
    assertThat(FilterServer.seen(browser.get(back)).get("method")).isEqualTo("GET");

    TestBrowser second = new TestBrowser();
    String multipart = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfile\r\n--b--\r\n";
    URI back2 =
        logIn(second, submit(second, "/upload", "multipart/form-data; boundary=b", multipart));
    assertThat(second.cookie(TICKET)).isNull();
    assertThat(FilterServer.seen(second.get(back2)).get("method")).isEqualTo("GET");
  }

  @Test
  void aScriptsPostStillGetsTheJson401() throws Exception {
    start();
    HttpResponse<String> script =
        new TestBrowser()
            .postForm(
                app.uri("/orders"),
                "item=1",
                "Accept",
                "application/json",
                "Sec-Fetch-Site",
                "same-origin",
                "Sec-Fetch-Mode",
                "cors");
    assertThat(script.statusCode()).isEqualTo(401);
    assertThat(script.body()).contains("\"login_url\"");
  }

  @Test
  void withoutPreservePostAFormPostGetsThe401AsBefore() throws Exception {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    app = apps.start(p);
    TestBrowser browser = new TestBrowser();
    assertThat(
            submit(browser, "/orders", "application/x-www-form-urlencoded", "item=1").statusCode())
        .isEqualTo(401);
  }

  @Test
  void theReplayedPostIsCheckedByTheRulesForPost() throws Exception {
    start("pathRules", "POST /orders role=buyer", "rolesClaim", "realm_access.roles");
    TestBrowser browser = new TestBrowser();
    URI back =
        logIn(browser, submit(browser, "/orders", "application/x-www-form-urlencoded", "item=1"));
    // alice is a reader, not a buyer: the replayed POST is refused like a POST she made herself.
    HttpResponse<String> refused = browser.get(back);
    assertThat(refused.statusCode()).isEqualTo(403);
    // ... while her GET of the same page passes.
    assertThat(browser.get(back).statusCode()).isEqualTo(200);
  }
}
