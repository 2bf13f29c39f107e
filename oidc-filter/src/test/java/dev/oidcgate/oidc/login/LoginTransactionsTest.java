package dev.oidcgate.oidc.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.testsupport.MemoryCookies;
import dev.oidcgate.oidc.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginTransactionsTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final int MAX_IN_FLIGHT = 3;

  private final MutableClock clock = new MutableClock();
  private final SessionCrypto crypto =
      SessionCrypto.fromSecrets(List.of("a-session-secret-of-at-least-32-characters"));
  private final LoginTransactions logins = logins(false);
  private final MemoryCookies browser = new MemoryCookies();

  private LoginTransactions logins(boolean formPost) {
    return new LoginTransactions(crypto, clock, TIMEOUT, MAX_IN_FLIGHT, formPost);
  }

  private LoginTransaction login(String state) {
    return new LoginTransaction(
        state,
        "nonce-" + state,
        "verifier-" + state + "-0123456789012345678901234567890123456789",
        "https://idp.example",
        "https://app.example/callback",
        "/reports?y=2026",
        clock.instant());
  }

  private String cookieOf(String state) {
    return LoginTransactions.cookieName(state);
  }

  @Test
  void aLoginComesBackFromItsCookieWithStateNonceAndVerifier() {
    LoginTransaction started = login("state-1");
    logins.begin(started, browser);

    assertThat(browser.names()).containsExactly(cookieOf("state-1"));
    assertThat(browser.get(cookieOf("state-1")).orElseThrow())
        .doesNotContain("nonce-state-1")
        .doesNotContain("verifier-state-1");
    assertThat(logins.finish("state-1", browser)).contains(started);
    assertThat(browser.names()).as("the login cookie is cleared").isEmpty();
  }

  @Test
  void theLoginCookieReachesTheCallbackFromTheIdpAndExpiresWithTheLogin() {
    logins.begin(login("state-1"), browser);
    MemoryCookies.Written query = browser.lastSet(cookieOf("state-1")).orElseThrow();
    assertThat(query.reach()).isEqualTo(SessionCookies.Reach.CROSS_SITE_NAVIGATION);
    assertThat(query.maxAge()).isEqualTo(TIMEOUT);

    logins(true).begin(login("state-2"), browser);
    assertThat(browser.lastSet(cookieOf("state-2")).orElseThrow().reach())
        .isEqualTo(SessionCookies.Reach.CROSS_SITE_POST);
  }

  @Test
  void aLoginFinishesOnlyOnceEvenWithACopyOfItsCookie() {
    logins.begin(login("state-1"), browser);
    String copy = browser.get(cookieOf("state-1")).orElseThrow();
    assertThat(logins.finish("state-1", browser)).isPresent();

    browser.replace(cookieOf("state-1"), copy);
    assertThat(logins.finish("state-1", browser)).isEmpty();
  }

  @Test
  void aCallbackWithAStateThisBrowserNeverStartedFindsNoLogin() {
    logins.begin(login("state-1"), browser);
    assertThat(logins.finish("state-2", browser)).isEmpty();
    assertThat(logins.finish("state-1", browser)).isPresent();
  }

  @Test
  void aLoginCookieCopiedUnderAnotherStatesNameIsRefused() {
    logins.begin(login("state-1"), browser);
    browser.replace(cookieOf("state-2"), browser.get(cookieOf("state-1")).orElseThrow());
    assertThat(logins.finish("state-2", browser)).isEmpty();
  }

  @Test
  void aLoginOlderThanTheTimeoutIsRefused() {
    logins.begin(login("state-1"), browser);
    clock.advance(TIMEOUT.plusSeconds(1));
    assertThat(logins.finish("state-1", browser)).isEmpty();
  }

  @Test
  void aLoginJustWithinTheTimeoutFinishes() {
    logins.begin(login("state-1"), browser);
    clock.advance(TIMEOUT);
    assertThat(logins.finish("state-1", browser)).isPresent();
  }

  @Test
  void aTamperedLoginCookieIsRefused() {
    logins.begin(login("state-1"), browser);
    String sealed = browser.get(cookieOf("state-1")).orElseThrow();
    int at = sealed.length() / 2;
    char c = sealed.charAt(at);
    browser.replace(
        cookieOf("state-1"),
        sealed.substring(0, at) + (c == 'A' ? 'B' : 'A') + sealed.substring(at + 1));
    assertThat(logins.finish("state-1", browser)).isEmpty();
  }

  @Test
  void aSessionCookieValueIsNotAcceptedAsALogin() {
    browser.replace(cookieOf("state-1"), crypto.seal("session", login("state-1").toJson()));
    assertThat(logins.finish("state-1", browser)).isEmpty();
  }

  @Test
  void twoTabsLoggingInAtOnceBothFinish() {
    LoginTransaction first = login("tab-1");
    LoginTransaction second = login("tab-2");
    logins.begin(first, browser);
    logins.begin(second, browser);

    assertThat(logins.finish("tab-2", browser)).contains(second);
    assertThat(logins.finish("tab-1", browser)).contains(first);
  }

  @Test
  void beyondMaxLoginsInFlightTheOldestIsDropped() {
    for (int i = 1; i <= MAX_IN_FLIGHT + 1; i++) {
      logins.begin(login("state-" + i), browser);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(browser.names()).hasSize(MAX_IN_FLIGHT).doesNotContain(cookieOf("state-1"));
    assertThat(logins.finish("state-1", browser)).isEmpty();
    for (int i = 2; i <= MAX_IN_FLIGHT + 1; i++) {
      assertThat(logins.finish("state-" + i, browser)).as("state-" + i).isPresent();
    }
  }

  @Test
  void startingALoginClearsExpiredAndUnreadableLoginCookies() {
    logins.begin(login("old"), browser);
    browser.replace(LoginTransactions.COOKIE_PREFIX + "garbage", "not-a-sealed-value");
    clock.advance(TIMEOUT.plusSeconds(1));

    logins.begin(login("new"), browser);
    assertThat(browser.names()).containsExactly(cookieOf("new"));
  }
}
