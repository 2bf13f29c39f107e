package dev.oidcgate.bench;

import dev.oidcgate.oidc.session.MemorySessionRepository;
import dev.oidcgate.oidc.session.OidcSession;
import java.time.Duration;

/**
 * The heap that {@code sessionStore=memory} needs for 100,000 logged-in sessions, each holding an
 * ID token, an access token and a refresh token as a login leaves them. Prints {@code
 * memory-sessions <bytes per session> <total bytes>}.
 */
public final class SessionHeap {

  private static final int SESSIONS = 100_000;

  private SessionHeap() {}

  public static void main(String[] args) {
    BenchIdp idp = new BenchIdp();
    OidcSession template = SessionBenchmarks.typicalSession(idp, "x");
    MemorySessionRepository repository = new MemorySessionRepository(SESSIONS);
    long before = Backend.settledHeap();
    for (int i = 0; i < SESSIONS; i++) {
      String id = String.format("session-%022d", i);
      OidcSession session =
          new OidcSession(
              id,
              template.issuer(),
              template.subject(),
              template.idToken(),
              template.accessToken(),
              "refresh-" + id,
              template.accessTokenExpiresAt(),
              template.tokensReceivedAt(),
              true,
              template.userInfo(),
              template.createdAt(),
              template.lastSeenAt());
      repository.put(id, session.toJson(), Duration.ofHours(1));
    }
    long after = Backend.settledHeap();
    if (repository.get("session-" + String.format("%022d", SESSIONS - 1)).isEmpty()) {
      throw new IllegalStateException("the store evicted sessions it should hold");
    }
    System.out.printf("memory-sessions\t%d\t%d%n", (after - before) / SESSIONS, after - before);
  }
}
