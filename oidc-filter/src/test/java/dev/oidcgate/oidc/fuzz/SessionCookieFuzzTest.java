package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.oidc.session.CookieSessionStore;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.testsupport.MemoryCookies;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The encrypted session cookie on hostile input: {@link CookieSessionStore#load} (which joins the
 * chunks and opens them with {@link SessionCrypto}) on arbitrary cookie values and on edits of a
 * validly sealed session, one cookie or two chunks. Property: the only refusal is the documented
 * one, no session, never an exception; a session is loaded only when the cookies are, character for
 * character, the ones the store wrote, and then it is that session.
 *
 * <p>Input: mode byte 0 = the rest is NUL-separated values for {@code oidc_session}, {@code
 * oidc_session.1}, ...; 1 = the rest edits a one-cookie session; 2 = the rest edits a session of
 * two chunks (joined, edited, cut again where the original chunks ended). docs/fuzzing.md.
 */
class SessionCookieFuzzTest {

  static final String COOKIE = "oidc_session";
  static final int MODES = 3;

  private static final CookieSessionStore STORE =
      new CookieSessionStore(
          COOKIE,
          SessionCrypto.fromSecrets(List.of(FuzzProvider.SESSION_SECRET)),
          4,
          Duration.ofHours(8));
  private static final OidcSession SMALL = session(Map.of("name", "Alice"));
  private static final OidcSession LARGE = session(Map.of("notes", noise(6000)));
  private static final List<String> SMALL_SEALED = sealed(SMALL);
  private static final List<String> LARGE_SEALED = sealed(LARGE);

  @FuzzTest
  void onlyTheCookiesTheStoreWroteOpen(byte[] input) {
    FuzzInput in = FuzzInput.of(input, MODES);
    List<String> original =
        switch (in.mode()) {
          case 1 -> SMALL_SEALED;
          case 2 -> LARGE_SEALED;
          default -> null;
        };
    List<String> values = original == null ? in.fields() : edited(in, original);
    MemoryCookies cookies = new MemoryCookies();
    for (int i = 0; i < values.size(); i++) {
      cookies.plant(i == 0 ? COOKIE : COOKIE + "." + i, values.get(i));
    }
    Optional<OidcSession> loaded = STORE.load(cookies);
    if (loaded.isPresent()) {
      assertThat(values).as("opened cookies that the store did not write").isEqualTo(original);
      assertThat(loaded.get()).isEqualTo(original == SMALL_SEALED ? SMALL : LARGE);
    } else {
      assertThat(values).as("refused the cookies the store wrote").isNotEqualTo(original);
    }
  }

  /**
   * The edits applied to the chunks joined, cut again where the original chunks ended (the last
   * takes the rest), so that an input with no effective edit gives back the very same cookies.
   */
  static List<String> edited(FuzzInput in, List<String> original) {
    String mutated = in.mutate(String.join("", original));
    List<String> out = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i < original.size(); i++) {
      int end =
          i == original.size() - 1
              ? mutated.length()
              : Math.min(mutated.length(), start + original.get(i).length());
      out.add(mutated.substring(Math.min(start, end), end));
      start = end;
    }
    return out;
  }

  /** The cookie values a save writes, in chunk order. */
  static List<String> sealed(OidcSession session) {
    MemoryCookies jar = new MemoryCookies();
    STORE.save(session, jar);
    return jar.names().stream().map(n -> jar.lastSet(n).orElseThrow().value()).toList();
  }

  static OidcSession session(Map<String, Object> userInfo) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new OidcSession(
        "session-id-0001",
        FuzzProvider.ISSUER,
        "alice",
        "header.payload.signature",
        "access-token",
        "refresh-token",
        now.plusSeconds(300),
        now,
        false,
        userInfo,
        now,
        now);
  }

  /** Text that deflate cannot shrink much, so that the session needs two cookies. */
  private static String noise(int length) {
    StringBuilder s = new StringBuilder(length);
    long x = 42;
    for (int i = 0; i < length; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      s.append((char) ('a' + (int) ((x >>> 33) % 26)));
    }
    return s.toString();
  }
}
