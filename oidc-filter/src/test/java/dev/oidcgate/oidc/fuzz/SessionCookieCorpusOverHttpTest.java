package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link SessionCookieFuzzTest}'s corpus through the real stack: each input becomes the {@code
 * Cookie} header of a browser navigation to the filter in Jetty (edits apply to the cookies of a
 * real login at {@link TestAuthServer}, a small session and one large enough for two chunks). A
 * request is signed in (200) only with the untouched cookies; every other answer is the redirect to
 * the IdP or a 4xx, never a 5xx, and never echoes a cookie value.
 */
@Timeout(120)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class SessionCookieCorpusOverHttpTest {

  private FilterServers apps;

  @Test
  void onlyTheUntouchedCookiesSignIn(TestAuthServer op) throws Exception {
    FilterServer app = apps.start(op.filterParams());
    List<String> small = login(op, app, false);
    List<String> large = login(op, app, true);
    assertThat(large).hasSizeGreaterThan(1);
    int signedIn = 0;
    for (byte[] bytes :
        FuzzInput.corpus(SessionCookieFuzzTest.class, "onlyTheCookiesTheStoreWroteOpen")) {
      FuzzInput in = FuzzInput.of(bytes, SessionCookieFuzzTest.MODES);
      List<String> original =
          switch (in.mode()) {
            case 1 -> small;
            case 2 -> large;
            default -> null;
          };
      List<String> values =
          original == null ? in.fields() : SessionCookieFuzzTest.edited(in, original);
      StringBuilder cookie = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        cookie.append(i == 0 ? "" : "; ").append(SessionCookieFuzzTest.COOKIE);
        cookie.append(i == 0 ? "" : "." + i).append('=').append(values.get(i));
      }
      RawExchange r =
          RawExchange.send(
              app.uri("/"),
              "GET /app/resource HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nCookie: "
                  + cookie,
              "");
      if (r.status() == 200) {
        assertThat(values).as("signed in with altered cookies").isEqualTo(original);
        signedIn++;
        continue;
      }
      assertThat(r.status()).as("answer to %s", cookie).isBetween(300, 499);
      for (String v : values) {
        if (v.length() >= 8) {
          assertThat(r.whole()).doesNotContain(v);
        }
      }
    }
    assertThat(signedIn).as("the untouched seeds sign in").isPositive();
  }

  /** The session cookies of a fresh login, in chunk order. */
  private static List<String> login(TestAuthServer op, FilterServer app, boolean large)
      throws Exception {
    op.idTokenTweak = b -> b.claim("notes", large ? noise(5000) : "short");
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    List<String> values = new ArrayList<>();
    for (int i = 0; ; i++) {
      String v = browser.cookie(SessionCookieFuzzTest.COOKIE + (i == 0 ? "" : "." + i));
      if (v == null) {
        return values;
      }
      values.add(v);
    }
  }

  private static String noise(int length) {
    StringBuilder s = new StringBuilder(length);
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }
}
