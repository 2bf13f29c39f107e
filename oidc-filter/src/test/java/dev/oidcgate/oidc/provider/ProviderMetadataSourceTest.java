package dev.oidcgate.oidc.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.testsupport.FakeIdpTransport;
import dev.oidcgate.oidc.testsupport.ManualScheduler;
import dev.oidcgate.oidc.testsupport.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProviderMetadataSourceTest {

  private static final String ISSUER = "https://idp.example/realms/test";
  private static final URI DISCOVERY = URI.create(ISSUER + "/.well-known/openid-configuration");
  private static final Duration REFRESH = Duration.ofHours(1);
  private static final Duration RETRY_MAX = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FakeIdpTransport idp = new FakeIdpTransport();
  private final ProviderMetadataSource source =
      new ProviderMetadataSource(
          IssuerLocation.parse(ISSUER), idp, clock, REFRESH, RETRY_MAX, scheduler);

  private static String document(String issuer, String jwksPath) {
    return "{\"issuer\":\""
        + issuer
        + "\",\"authorization_endpoint\":\""
        + ISSUER
        + "/auth\",\"token_endpoint\":\""
        + ISSUER
        + "/token\""
        + (jwksPath == null ? "" : ",\"jwks_uri\":\"" + ISSUER + jwksPath + "\"")
        + ",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
  }

  private void serve(String jwksPath) {
    idp.json(DISCOVERY, document(ISSUER, jwksPath));
  }

  private List<Duration> pendingDelays() {
    return scheduler.pending().stream().map(ManualScheduler.Pending::delay).toList();
  }

  private static OidcErrorException unavailable(ProviderMetadataSource source) {
    try {
      source.current();
    } catch (OidcErrorException e) {
      return e;
    }
    throw new AssertionError("the metadata was available");
  }

  @Test
  void startReadsTheMetadataAndSchedulesOneRefreshAfterTheRefreshInterval() throws Exception {
    serve("/jwks");
    source.start();

    assertThat(source.isReady()).isTrue();
    assertThat(source.current().getJWKSetURI()).hasToString(ISSUER + "/jwks");
    assertThat(pendingDelays()).containsExactly(REFRESH);
    assertThat(idp.requestsTo(DISCOVERY)).isEqualTo(1);
  }

  @Test
  void theScheduledRefreshReplacesTheMetadataAndSchedulesTheNextOne() throws Exception {
    serve("/jwks");
    source.start();
    serve("/jwks-v2");

    assertThat(scheduler.runNext()).isEqualTo(REFRESH);
    assertThat(source.current().getJWKSetURI()).hasToString(ISSUER + "/jwks-v2");
    assertThat(pendingDelays()).containsExactly(REFRESH);
  }

  @Test
  @Timeout(20)
  void callersNeverFetchThemselvesEvenWhenARefreshIsDue() throws Exception {
    serve("/jwks");
    source.start();
    clock.advance(REFRESH.multipliedBy(3));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<OIDCProviderMetadata>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(threads.submit(source::current));
      }
      for (Future<OIDCProviderMetadata> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS).getJWKSetURI()).isNotNull();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(idp.requestsTo(DISCOVERY)).isEqualTo(1);
    assertThat(pendingDelays()).hasSize(1);
  }

  @Test
  void anUnreachableProviderAtStartDoesNotFailStartButAnswers503WithRetryAfter() throws Exception {
    idp.unreachable(DISCOVERY);
    source.start();

    assertThat(source.isReady()).isFalse();
    OidcErrorException e = unavailable(source);
    assertThat(e.error().status()).isEqualTo(503);
    assertThat(e.error().code()).isEqualTo("temporarily_unavailable");
    assertThat(e.error().retryAfterSeconds()).isBetween(1L, 2L);
    assertThat(e.error().description()).doesNotContain("timed out");
  }

  @Test
  void discoveryIsRetriedWithDoublingBackoffUpToTheMaximum() throws Exception {
    idp.unreachable(DISCOVERY);
    source.start();
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      waits.add(scheduler.runNext());
    }
    assertThat(waits)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            RETRY_MAX,
            RETRY_MAX);
    assertThat(idp.requestsTo(DISCOVERY)).isEqualTo(7);
  }

  @Test
  void retryAfterTellsWhenTheNextAttemptIsDue() throws Exception {
    idp.unreachable(DISCOVERY);
    source.start();
    scheduler.runNext(); // waited 1 s, next wait 2 s
    scheduler.runNext(); // waited 2 s, next wait 4 s
    assertThat(unavailable(source).error().retryAfterSeconds()).isEqualTo(5);
    clock.advance(Duration.ofSeconds(3));
    assertThat(unavailable(source).error().retryAfterSeconds()).isEqualTo(2);
  }

  @Test
  void theFirstSuccessfulRetryEndsThe503sAndGoesBackToTheRefreshInterval() throws Exception {
    idp.unreachable(DISCOVERY);
    source.start();
    scheduler.runNext();
    serve("/jwks");
    scheduler.runNext();

    assertThat(source.current().getJWKSetURI()).hasToString(ISSUER + "/jwks");
    assertThat(pendingDelays()).containsExactly(REFRESH);
  }

  @Test
  void backoffStartsOverAfterASuccess() throws Exception {
    idp.unreachable(DISCOVERY);
    source.start();
    scheduler.runNext();
    scheduler.runNext();
    scheduler.runNext(); // the next wait would now be 8 s
    serve("/jwks");
    scheduler.runNext();
    idp.unreachable(DISCOVERY);
    scheduler.runNext(); // the periodic refresh fails

    assertThat(pendingDelays()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aFailedRefreshKeepsTheLastGoodMetadataAndRetriesSooner() throws Exception {
    serve("/jwks");
    source.start();
    idp.status(DISCOVERY, 502, "Bad Gateway");
    scheduler.runNext();

    assertThat(source.current().getJWKSetURI()).hasToString(ISSUER + "/jwks");
    assertThat(pendingDelays()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aDocumentForAnotherIssuerFailsStart() {
    idp.json(DISCOVERY, document("https://evil.example", "/jwks"));
    assertThatThrownBy(source::start).isInstanceOf(IssuerMismatchException.class);
    assertThat(source.isReady()).isFalse();
  }

  @Test
  void aDocumentForAnotherIssuerOnRefreshIsIgnoredAndTheLastGoodOneKept() throws Exception {
    serve("/jwks");
    source.start();
    idp.json(DISCOVERY, document("https://evil.example", "/evil-jwks"));
    scheduler.runNext();

    assertThat(source.current().getIssuer().getValue()).isEqualTo(ISSUER);
    assertThat(source.current().getJWKSetURI()).hasToString(ISSUER + "/jwks");
    assertThat(pendingDelays()).hasSize(1);
  }

  @Test
  void aDocumentWithoutJwksUriIsNotAccepted() throws Exception {
    serve(null);
    source.start();
    assertThat(source.isReady()).isFalse();
    assertThat(pendingDelays()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aGarbledDocumentIsAFailureThatIsRetried() throws Exception {
    idp.json(DISCOVERY, "<html>maintenance</html>");
    source.start();
    assertThat(source.isReady()).isFalse();
    serve("/jwks");
    scheduler.runNext();
    assertThat(source.isReady()).isTrue();
  }

  @Test
  void nothingIsScheduledOnceTheSchedulerIsShutDown() throws Exception {
    serve("/jwks");
    scheduler.shutdown();
    source.start();
    assertThat(source.isReady()).isTrue();
    assertThat(scheduler.pending()).isEmpty();
  }

  @Test
  void anUnexpectedRuntimeExceptionDoesNotStopDiscoveryRetries() throws Exception {
    idp.unreachable(DISCOVERY);
    source.start();
    idp.answer(
        DISCOVERY,
        request -> {
          throw new IllegalStateException("connection pool shut down");
        });
    scheduler.runNext();
    assertThat(pendingDelays()).as("a next attempt is scheduled").hasSize(1);

    serve("/jwks");
    scheduler.runNext();
    assertThat(source.isReady()).isTrue();
  }

  @Test
  void anUnexpectedRuntimeExceptionAtStartIsRetriedLikeAnOutage() throws Exception {
    idp.answer(
        DISCOVERY,
        request -> {
          throw new IllegalStateException("connection pool shut down");
        });
    source.start();
    assertThat(source.isReady()).isFalse();
    assertThat(pendingDelays()).hasSize(1);
  }
}
