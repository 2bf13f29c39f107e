package dev.oidcgate.oidc.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcSessionTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static OidcSession session(Duration lifetime) {
    return new OidcSession(
        "id-0123456789012345678901",
        "https://idp",
        "alice",
        "id.token.x",
        "access",
        "refresh",
        T0.plus(lifetime),
        T0,
        false,
        Map.of("email", "a@example.com"),
        T0,
        T0);
  }

  @Test
  void aLongLivedTokenIsRefreshedTheLeewayBeforeItExpires() {
    assertThat(session(Duration.ofMinutes(5)).refreshDueAt(Duration.ofSeconds(60)))
        .isEqualTo(T0.plus(Duration.ofMinutes(4)));
  }

  @Test
  void aTokenShorterLivedThanTheLeewayIsRefreshedAtHalfItsLifeNotOnEveryRequest() {
    assertThat(session(Duration.ofSeconds(60)).refreshDueAt(Duration.ofSeconds(60)))
        .isEqualTo(T0.plusSeconds(30));
    assertThat(session(Duration.ofSeconds(10)).refreshDueAt(Duration.ofSeconds(60)))
        .isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void aSessionSurvivesItsJsonFormExactly() throws ParseException {
    OidcSession s = session(Duration.ofMillis(300_123));
    assertThat(OidcSession.fromJson(s.toJson())).isEqualTo(s);
  }

  @Test
  void toStringShowsNoTokens() {
    assertThat(session(Duration.ofMinutes(5)).toString())
        .doesNotContain("access")
        .doesNotContain("refresh")
        .doesNotContain("id.token");
  }
}
