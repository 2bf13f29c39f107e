package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.testlogs.StderrCapture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * URLs the filter hands to the IdP and the browser are built on {@code externalUrl} (or the origin
 * of an absolute {@code redirectUri}), never on the {@code Host} header a client chose (issue 9,
 * item 11): otherwise a forged {@code Host} sends the authorization code, or the browser after
 * logout, to a host of the attacker's choosing wherever the IdP's checks are loose.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class ExternalUrlTest {

  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> params() {
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    return p;
  }

  @Test
  void aForgedHostHeaderNeverBecomesTheRedirectUri() throws Exception {
    Map<String, String> p = params();
    p.put("externalUrl", "https://app.example.com");
    app = apps.start(p);
    URI authorize = URI.create(rawGet("/app/resource", "evil.example").get("location"));
    assertThat(query(authorize))
        .containsEntry("redirect_uri", "https://app.example.com/app/callback");
  }

  @Test
  void aForgedHostHeaderNeverBecomesThePostLogoutRedirect() throws Exception {
    Map<String, String> p = params();
    p.put("externalUrl", "https://app.example.com/");
    app = apps.start(p);
    URI endSession = URI.create(rawGet("/app/logout", "evil.example").get("location"));
    assertThat(endSession.toString()).startsWith(op.issuer() + "/logout?");
    assertThat(query(endSession))
        .containsEntry("post_logout_redirect_uri", "https://app.example.com/app/");
  }

  @Test
  void anAbsoluteRedirectUriAlsoKeepsTheHostHeaderOutOfThePostLogoutRedirect() throws Exception {
    Map<String, String> p = params();
    p.put("redirectUri", "https://app.example.com/app/callback");
    app = apps.start(p);
    URI endSession = URI.create(rawGet("/app/logout", "evil.example").get("location"));
    assertThat(query(endSession))
        .containsEntry("post_logout_redirect_uri", "https://app.example.com/app/");
  }

  @Test
  void aPublicPathOtherThanTheContextPathIsUsedForTheRedirectUriAndTheReturnUrl() throws Exception {
    Map<String, String> p = params();
    p.put("externalUrl", "https://example.com/portal");
    app = apps.https(p);
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource?x=1")));
    assertThat(query(authorize))
        .containsEntry("redirect_uri", "https://example.com/portal/callback");
    URI callback = location(browser.get(authorize));
    assertThat(callback.toString()).startsWith("https://example.com/portal/callback?");
    // The reverse proxy at example.com/portal forwards to the app's context /app.
    HttpResponse<String> back =
        browser.get(URI.create(app.uri("/callback") + "?" + callback.getRawQuery()));
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(location(back)).isEqualTo(URI.create("https://example.com/portal/resource?x=1"));
  }

  @Test
  void withNeitherExternalUrlNorAnAbsoluteRedirectUriOneStartUpWarningNamesBoth() throws Exception {
    assertThat(startUpLog(params()))
        .containsOnlyOnce("neither externalUrl nor an absolute redirectUri is set");
    app.close();
    Map<String, String> p = params();
    p.put("externalUrl", "https://app.example.com");
    assertThat(startUpLog(p)).doesNotContain("externalUrl");
    app.close();
    p = params();
    p.put("redirectUri", "https://app.example.com/app/callback");
    assertThat(startUpLog(p)).doesNotContain("externalUrl");
  }

  private String startUpLog(Map<String, String> p) throws Exception {
    String log;
    try (StderrCapture logged = StderrCapture.start()) {
      app = apps.start(p);
      log = logged.text();
    }
    assertThat(log).as("the capture works").contains("OIDC filter");
    return log;
  }

  /** One request with a Host header of our choosing; answers the status and headers, lower-case. */
  private Map<String, String> rawGet(String path, String host) throws IOException {
    URI base = app.uri("/");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nAccept: text/html\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      Map<String, String> headers = new LinkedHashMap<>();
      String[] lines = head.substring(0, head.indexOf("\r\n\r\n")).split("\r\n");
      headers.put("status", lines[0]);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.putIfAbsent(
            lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      assertThat(headers.get("status")).contains(" 302 ");
      return headers;
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
