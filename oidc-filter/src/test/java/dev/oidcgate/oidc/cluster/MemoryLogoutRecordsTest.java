package dev.oidcgate.oidc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.session.OidcSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without Redis, one node keeps logout records and used {@code jti}s in memory, each bounded. The
 * {@code jti}s (and refresh records) filling their bound never push a logout record out: a
 * logged-out session stays logged out.
 */
@Timeout(120)
class MemoryLogoutRecordsTest {

  private static final String ISSUER = "https://idp.example";

  @Test
  void usedJtisBeyondTheirBoundNeverEvictALogoutRecord() throws Exception {
    OidcConfig config =
        OidcConfig.builder().issuer(ISSUER).clientId("web-app").clientSecret("s").build();
    try (Cluster cluster = Cluster.start(config)) {
      Instant login = Instant.now();
      OidcSession session =
          new OidcSession(
              "a-session-id-of-22-chars-or-more",
              ISSUER,
              "alice",
              "id-token",
              "access-token",
              null,
              null,
              login,
              false,
              Map.of(),
              login,
              login,
              "op-session-1",
              null,
              false);
      ReplayGuard replays = cluster.replayGuard();
      Duration window = Duration.ofMinutes(5);
      for (int i = 0; i < 200_000; i++) {
        replays.firstUse(ISSUER, "jti-" + i, window);
      }
      // The session is not used again until its cookie is replayed, after the flood.
      cluster.logoutRecords().endSid(ISSUER, "op-session-1", Optional.empty(), Instant.now());

      // Many more, each looked up often: the memory's policy keeps what is used often, and a
      // logout record is written once and read only when its session comes back.
      for (int i = 200_000; i < 1_000_000; i++) {
        replays.firstUse(ISSUER, "jti-" + i, window);
        replays.isUsed(ISSUER, "jti-" + i);
        replays.isUsed(ISSUER, "jti-" + i);
        replays.isUsed(ISSUER, "jti-" + i);
        replays.isUsed(ISSUER, "jti-" + i);
      }

      assertThat(cluster.logoutRecords().isEnded(session)).isTrue();
    }
  }
}
