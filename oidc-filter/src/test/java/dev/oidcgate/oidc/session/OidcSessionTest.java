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
  void aSessionsDpopKeyAndBindingSurviveItsJsonFormAndARefresh() throws ParseException {
    String key = dev.oidcgate.oidc.idp.DpopKey.generate().toJson();
    OidcSession s = session(Duration.ofMinutes(5)).withDpop(key, true);
    OidcSession back = OidcSession.fromJson(s.toJson());
    assertThat(back).isEqualTo(s);
    assertThat(back.dpopKey()).isEqualTo(key);
    assertThat(back.dpopBound()).isTrue();
    OidcSession refreshed = back.refreshed(null, "access2", null, T0.plusSeconds(600), false, T0);
    assertThat(refreshed.dpopKey()).isEqualTo(key);
    assertThat(refreshed.toString()).doesNotContain(key).doesNotContain("\"d\"");
  }

  @Test
  void aSessionWithoutDpopHasNoKeyInItsJson() throws ParseException {
    OidcSession s = session(Duration.ofMinutes(5));
    assertThat(s.toJson()).doesNotContain("\"dk\"").doesNotContain("\"db\"");
    assertThat(OidcSession.fromJson(s.toJson()).dpopKey()).isNull();
  }

  @Test
  void toStringShowsNoTokens() {
    assertThat(session(Duration.ofMinutes(5)).toString())
        .doesNotContain("access")
        .doesNotContain("refresh")
        .doesNotContain("id.token");
  }
}
