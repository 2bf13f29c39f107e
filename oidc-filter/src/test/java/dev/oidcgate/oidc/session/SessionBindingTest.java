package dev.oidcgate.oidc.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionBindingTest {

  private static final SessionCrypto SHARED =
      SessionCrypto.fromSecrets(List.of("one-secret-shared-by-several-apps-0123456789"));
  private static final SessionBinding APP_A = new SessionBinding("https://idp-a.example", "app");
  private static final SessionBinding APP_B = new SessionBinding("https://idp-b.example", "app");
  private static final SessionBinding CLIENT_B = new SessionBinding("https://idp-a.example", "b");

  @Test
  void aValueSealedForOneIssuerAndClientOpensOnlyForThem() {
    String sealed = SHARED.boundTo(APP_A).seal("session", "{}");
    assertThat(SHARED.boundTo(APP_A).open("session", sealed)).contains("{}");
    assertThat(SHARED.boundTo(APP_B).open("session", sealed)).isEmpty();
    assertThat(SHARED.boundTo(CLIENT_B).open("session", sealed)).isEmpty();
    assertThat(SHARED.open("session", sealed)).as("unbound").isEmpty();
  }

  @Test
  void anUnboundValueDoesNotOpenForABoundCrypto() {
    assertThat(SHARED.boundTo(APP_A).open("session", SHARED.seal("session", "{}"))).isEmpty();
  }

  @Test
  void filtersSharingOneRepositoryNeverFindEachOthersSessions() throws Exception {
    SessionRepository shared = new MemorySessionRepository(100);
    SessionRepository a = new BoundSessionRepository(APP_A, shared);
    SessionRepository b = new BoundSessionRepository(APP_B, shared);
    a.put("same-id", "{\"a\":1}", Duration.ofMinutes(1));
    assertThat(a.get("same-id")).contains("{\"a\":1}");
    assertThat(b.get("same-id")).isEmpty();
    assertThat(shared.get("same-id")).as("unprefixed").isEmpty();
    b.remove("same-id");
    assertThat(a.get("same-id")).isPresent();
  }

  @Test
  void keysDifferPerIssuerAndClientAndCannotBeForgedByShiftingCharacters() {
    assertThat(APP_A.key()).isNotEqualTo(APP_B.key()).isNotEqualTo(CLIENT_B.key());
    assertThat(new SessionBinding("https://idp/a", "b").key())
        .isNotEqualTo(new SessionBinding("https://idp/", "ab").key());
    assertThat(APP_A).isEqualTo(new SessionBinding("https://idp-a.example", "app"));
  }
}
