package dev.oidcgate.oidc.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.testsupport.MemoryCookies;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CookieSessionStoreTest {

  private static final String NAME = "oidc_session";
  private static final String SECRET = "a-session-secret-of-at-least-32-characters";
  private static final String OTHER_SECRET = "another-secret-of-at-least-32-characters!!";
  private static final int MAX_CHUNKS = 4;
  private static final Duration MAX_LIFETIME = Duration.ofHours(8);

  private final SessionCrypto crypto = SessionCrypto.fromSecrets(List.of(SECRET));
  private final CookieSessionStore store = store(crypto);
  private final MemoryCookies browser = new MemoryCookies();

  private static CookieSessionStore store(SessionCrypto crypto) {
    return new CookieSessionStore(NAME, crypto, MAX_CHUNKS, MAX_LIFETIME);
  }

  /** A session whose sealed form is about {@code extraChars} long: random, so it won't compress. */
  private static OidcSession session(String id, int extraChars) {
    byte[] noise = new byte[extraChars * 3 / 4];
    new SecureRandom().nextBytes(noise);
    Map<String, Object> userInfo =
        extraChars == 0 ? Map.of() : Map.of("blob", Base64.getEncoder().encodeToString(noise));
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new OidcSession(
        id,
        "https://idp.example",
        "alice",
        "id.token.value",
        "access-token",
        "refresh-token",
        now.plusSeconds(300),
        now,
        false,
        userInfo,
        now,
        now);
  }

  private static String tamper(String value, int at) {
    char c = value.charAt(at);
    return value.substring(0, at) + (c == 'A' ? 'B' : 'A') + value.substring(at + 1);
  }

  @Test
  void aSmallSessionTravelsInOneCookieAndLoadsBackEqual() {
    OidcSession session = session("s-1", 0);
    store.save(session, browser);

    assertThat(browser.names()).containsExactly(NAME);
    assertThat(store.load(browser)).contains(session);
  }

  @Test
  void aLargeSessionIsSplitIntoNumberedChunksThatLoadBackWhole() {
    OidcSession session = session("s-1", 9000);
    store.save(session, browser);

    assertThat(browser.names()).containsExactly(NAME, NAME + ".1", NAME + ".2");
    for (String name : browser.names()) {
      assertThat(browser.get(name).orElseThrow()).hasSizeLessThanOrEqualTo(3800);
    }
    assertThat(store.load(browser)).contains(session);
  }

  @Test
  void aSessionTooLargeForMaxChunksIsRefusedAndSetsNoCookie() {
    assertThatThrownBy(() -> store.save(session("s-1", 20_000), browser))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(String.valueOf(MAX_CHUNKS));
    assertThat(browser.names()).isEmpty();
  }

  @Test
  void chunksBeyondMaxChunksAreNeverRead() {
    CookieSessionStore roomy = new CookieSessionStore(NAME, crypto, 8, MAX_LIFETIME);
    OidcSession session = session("s-1", 18_000);
    roomy.save(session, browser);
    assertThat(browser.names()).hasSizeGreaterThan(MAX_CHUNKS);

    assertThat(roomy.load(browser)).contains(session);
    assertThat(store.load(browser)).isEmpty();
  }

  @Test
  void aSessionThatShrinksClearsTheChunksItNoLongerNeeds() {
    store.save(session("s-1", 9000), browser);
    OidcSession small = session("s-1", 0);
    store.save(small, browser);

    assertThat(browser.names()).containsExactly(NAME);
    assertThat(store.load(browser)).contains(small);
  }

  @Test
  void aChangeToAnyChunkYieldsNoSession() {
    store.save(session("s-1", 9000), browser);
    for (String name : List.of(NAME, NAME + ".1", NAME + ".2")) {
      MemoryCookies copy = new MemoryCookies();
      browser.names().forEach(n -> copy.replace(n, browser.get(n).orElseThrow()));
      String value = copy.get(name).orElseThrow();
      copy.replace(name, tamper(value, value.length() / 2));

      assertThat(store.load(copy)).as("tampered " + name).isEmpty();
    }
  }

  @Test
  void aMissingOrReorderedChunkYieldsNoSession() {
    store.save(session("s-1", 9000), browser);
    String one = browser.get(NAME + ".1").orElseThrow();
    String two = browser.get(NAME + ".2").orElseThrow();

    browser.replace(NAME + ".1", two).replace(NAME + ".2", one);
    assertThat(store.load(browser)).isEmpty();

    browser.replace(NAME + ".1", one);
    browser.remove(NAME + ".2");
    assertThat(store.load(browser)).isEmpty();
  }

  @Test
  void aSessionSealedWithAnotherSecretYieldsNoSession() {
    store(SessionCrypto.fromSecrets(List.of(OTHER_SECRET))).save(session("s-1", 0), browser);
    assertThat(store.load(browser)).isEmpty();
  }

  @Test
  void aSessionSealedWithARotatedOutSecretStillLoadsWhileThatSecretIsListed() {
    OidcSession session = session("s-1", 0);
    store.save(session, browser);
    CookieSessionStore rotated = store(SessionCrypto.fromSecrets(List.of(OTHER_SECRET, SECRET)));
    assertThat(rotated.load(browser)).contains(session);
  }

  @Test
  void aLoginCookieValueIsNotAcceptedAsASession() {
    browser.replace(NAME, crypto.seal("login", session("s-1", 0).toJson()));
    assertThat(store.load(browser)).isEmpty();
  }

  @Test
  void everyChunkCookieExpiresWithTheSessionsMaximumLifetime() {
    store.save(session("s-1", 9000), browser);
    for (String name : browser.names()) {
      MemoryCookies.Written written = browser.lastSet(name).orElseThrow();
      assertThat(written.maxAge()).as(name).isEqualTo(MAX_LIFETIME);
      assertThat(written.reach()).isEqualTo(SessionCookies.Reach.CONFIGURED);
    }
  }

  @Test
  void aLoggedOutSessionReplayedFromACopyOfItsCookiesIsRefused() {
    OidcSession session = session("s-1", 9000);
    store.save(session, browser);
    MemoryCookies copy = new MemoryCookies();
    browser.names().forEach(n -> copy.replace(n, browser.get(n).orElseThrow()));

    store.delete(session, browser);
    assertThat(browser.names()).isEmpty();
    assertThat(store.load(copy)).isEmpty();
  }

  @Test
  void aPlantedCookieOfTheSameNameDoesNotHideTheRealSession() {
    OidcSession session = session("s-1", 0);
    store.save(session, browser);
    String real = browser.get(NAME).orElseThrow();
    MemoryCookies tossed = new MemoryCookies().plant(NAME, "planted-garbage").plant(NAME, real);

    assertThat(store.load(tossed)).contains(session);
  }

  @Test
  void noCookieMeansNoSession() {
    assertThat(store.load(browser)).isEqualTo(Optional.empty());
  }
}
