package dev.oidcgate.bench;

import dev.oidcgate.oidc.session.CookieSessionStore;
import dev.oidcgate.oidc.session.MemorySessionRepository;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionCrypto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one logged-in session costs in each store, for two sessions: the synthetic one of the
 * micro-benchmarks (one ES256 token as ID and access token, a short refresh token) and a realistic
 * one ({@link RealisticSession}: a Keycloak login's RS256 tokens, refresh token and UserInfo).
 *
 * <ul>
 *   <li>{@code sessionStore=memory}: the heap of 100,000 sessions (the container store keeps the
 *       same JSON string in the container's session);
 *   <li>{@code sessionStore=cookie}: the bytes of the cookies the cookie store writes, and how many
 *       ({@code sessionStore=redis} stores the same sealed value under the session's key).
 * </ul>
 *
 * Prints, tab-separated: {@code memory-sessions[-realistic] <bytes per session> <total bytes>},
 * {@code session-shape[-realistic] <ID token chars> <access token chars> <refresh token chars>
 * <session JSON chars>} and {@code cookie-session[-realistic] <cookie value bytes> <cookies>}.
 */
public final class SessionHeap {

  private static final int SESSIONS = 100_000;

  private SessionHeap() {}

  public static void main(String[] args) {
    BenchIdp idp = new BenchIdp();
    measure("", SessionBenchmarks.typicalSession(idp, "x"));
    measure("-realistic", RealisticSession.of(idp, "x"));
  }

  private static void measure(String suffix, OidcSession template) {
    System.out.printf(
        "session-shape%s\t%d\t%d\t%d\t%d%n",
        suffix,
        template.idToken().length(),
        template.accessToken().length(),
        template.refreshTokenValue().orElse("").length(),
        withId(template, String.format("session-%022d", 0)).toJson().length());
    cookieBytes(suffix, template);
    memoryHeap(suffix, template);
  }

  private static void memoryHeap(String suffix, OidcSession template) {
    MemorySessionRepository repository = new MemorySessionRepository(SESSIONS);
    long before = Backend.settledHeap();
    for (int i = 0; i < SESSIONS; i++) {
      String id = String.format("session-%022d", i);
      repository.put(id, withId(template, id).toJson(), Duration.ofHours(1));
    }
    long after = Backend.settledHeap();
    if (repository.get("session-" + String.format("%022d", SESSIONS - 1)).isEmpty()) {
      throw new IllegalStateException("the store evicted sessions it should hold");
    }
    System.out.printf(
        "memory-sessions%s\t%d\t%d%n", suffix, (after - before) / SESSIONS, after - before);
  }

  /** Saves one session through the cookie store as a login does and adds up what it sets. */
  private static void cookieBytes(String suffix, OidcSession template) {
    CookieSessionStore store =
        new CookieSessionStore(
            "oidc_session", SessionCrypto.fromSecrets(List.of(secret())), 8, Duration.ofHours(8));
    List<String> values = new ArrayList<>();
    store.save(withId(template, String.format("session-%022d", 0)), recorder(values));
    long bytes = values.stream().mapToLong(String::length).sum();
    System.out.printf("cookie-session%s\t%d\t%d%n", suffix, bytes, values.size());
  }

  private static SessionCookies recorder(List<String> values) {
    return new SessionCookies() {
      @Override
      public Optional<String> get(String name) {
        return Optional.empty();
      }

      @Override
      public List<String> getAll(String name) {
        return List.of();
      }

      @Override
      public Map<String, String> startingWith(String prefix) {
        return Map.of();
      }

      @Override
      public void set(String name, String value, Duration maxAge, Reach reach) {
        values.add(value);
      }

      @Override
      public void clear(String name) {}
    };
  }

  private static String secret() {
    return "bench-session-secret-0123456789abcdef0123456789";
  }

  private static OidcSession withId(OidcSession template, String id) {
    return new OidcSession(
        id,
        template.issuer(),
        template.subject(),
        template.idToken(),
        template.accessToken(),
        // The synthetic session's refresh token names its session, as it always has here.
        template.refreshToken().startsWith("refresh-") ? "refresh-" + id : template.refreshToken(),
        template.accessTokenExpiresAt(),
        template.tokensReceivedAt(),
        true,
        template.userInfo(),
        template.createdAt(),
        template.lastSeenAt());
  }
}
