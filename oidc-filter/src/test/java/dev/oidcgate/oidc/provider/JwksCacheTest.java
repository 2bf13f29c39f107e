package dev.oidcgate.oidc.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.testsupport.FakeIdpTransport;
import dev.oidcgate.oidc.testsupport.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JwksCacheTest {

  private static final URI JWKS = URI.create("https://idp.example/jwks");
  private static final Duration REFRESH = Duration.ofMinutes(10);
  private static final Duration MIN_REFRESH = Duration.ofSeconds(30);

  /** One refetch per 30 s and no burst, so each test controls exactly when a fetch may happen. */
  private static final JwksCache.Timing TIMING =
      new JwksCache.Timing(REFRESH, MIN_REFRESH, 1, Duration.ofSeconds(60));

  private static final RSAKey KEY_A = rsa("key-a");
  private static final RSAKey KEY_B = rsa("key-b");

  private final MutableClock clock = new MutableClock();
  private final FakeIdpTransport idp = new FakeIdpTransport();
  private final JwksCache cache = new JwksCache(() -> JWKS, idp, clock, TIMING, Runnable::run);
  private ExecutorService threads;

  @AfterEach
  void stopThreads() {
    idp.open();
    if (threads != null) {
      threads.shutdownNow();
    }
  }

  private static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private void serve(JWK... keys) {
    List<JWK> publicKeys = new ArrayList<>();
    for (JWK k : keys) {
      publicKeys.add(k.toPublicJWK());
    }
    idp.json(JWKS, new JWKSet(publicKeys).toString());
  }

  private static JWSHeader rs256(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
  }

  private static List<String> kids(List<JWK> keys) {
    return keys.stream().map(JWK::getKeyID).toList();
  }

  @Test
  void aKidSelectsOnlyTheKeyWithThatKid() throws OidcErrorException {
    serve(KEY_A, KEY_B);
    assertThat(kids(cache.candidates(rs256("key-b")))).containsExactly("key-b");
  }

  @Test
  void aHeaderWithoutKidGetsEveryKeyOfTheAlgorithmsType() throws Exception {
    serve(KEY_A, new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate(), KEY_B);
    JWSHeader noKid = new JWSHeader.Builder(JWSAlgorithm.RS256).build();
    assertThat(kids(cache.candidates(noKid))).containsExactlyInAnyOrder("key-a", "key-b");
  }

  @Test
  void knownKeysAreReadOnceAndThenServedFromMemory() throws OidcErrorException {
    serve(KEY_A);
    for (int i = 0; i < 5; i++) {
      assertThat(kids(cache.candidates(rs256("key-a")))).containsExactly("key-a");
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(idp.requestsTo(JWKS)).isEqualTo(1);
    assertThat(cache.fetchCount()).isEqualTo(1);
  }

  @Test
  void servedPrivateKeyMaterialIsNeverKept() throws OidcErrorException {
    // A misconfigured provider publishing its private key must not make us hold (or use) it.
    idp.json(
        JWKS, JSONObjectUtils.toJSONString(new JWKSet(List.<JWK>of(KEY_A)).toJSONObject(false)));
    assertThat(KEY_A.isPrivate()).isTrue();
    List<JWK> found = cache.candidates(rs256("key-a"));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).isPrivate()).isFalse();
  }

  @Test
  void anUnknownKidCausesOneRefetchThatFindsARotatedInKey() throws OidcErrorException {
    serve(KEY_A);
    cache.candidates(rs256("key-a"));
    serve(KEY_A, KEY_B); // the provider rotates a new key in
    clock.advance(MIN_REFRESH.plusSeconds(1));

    assertThat(kids(cache.candidates(rs256("key-b")))).containsExactly("key-b");
    assertThat(idp.requestsTo(JWKS)).isEqualTo(2);
  }

  @Test
  void aKidTheProviderDoesNotHaveYieldsNoKeyAfterOneRefetch() throws OidcErrorException {
    serve(KEY_A);
    cache.candidates(rs256("key-a"));
    clock.advance(MIN_REFRESH.plusSeconds(1));

    assertThat(cache.candidates(rs256("forged"))).isEmpty();
    assertThat(idp.requestsTo(JWKS)).isEqualTo(2);
  }

  /** Rate limit of unknown-kid refetches; its policy is expected to change (token bucket). */
  @Test
  void rateLimit_unknownKidsRightAfterAFetchDoNotReachTheProvider() throws OidcErrorException {
    serve(KEY_A);
    cache.candidates(rs256("key-a"));
    for (int i = 0; i < 20; i++) {
      assertThat(cache.candidates(rs256("unknown-" + i))).isEmpty();
    }
    assertThat(idp.requestsTo(JWKS)).isLessThanOrEqualTo(2);
  }

  @Test
  @Timeout(20)
  void concurrentRequestsForAnUnknownKidShareOneRefetch() throws Exception {
    serve(KEY_A);
    cache.candidates(rs256("key-a"));
    serve(KEY_A, KEY_B);
    clock.advance(MIN_REFRESH.plusSeconds(1));
    idp.hold();

    threads = Executors.newFixedThreadPool(8);
    List<Future<List<JWK>>> results = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(
          threads.submit(
              (Callable<List<JWK>>)
                  () -> {
                    synchronized (workers) {
                      workers.add(Thread.currentThread());
                    }
                    return cache.candidates(rs256("key-b"));
                  }));
    }
    awaitAllWaiting(workers, 8);
    idp.open();

    for (Future<List<JWK>> r : results) {
      assertThat(kids(r.get(10, TimeUnit.SECONDS))).containsExactly("key-b");
    }
    assertThat(idp.requestsTo(JWKS)).isEqualTo(2);
  }

  @Test
  @Timeout(20)
  void requestsWithKnownKeysDoNotWaitForARefetchInFlight() throws Exception {
    serve(KEY_A);
    cache.candidates(rs256("key-a"));
    clock.advance(MIN_REFRESH.plusSeconds(1));
    idp.hold();
    threads = Executors.newSingleThreadExecutor();
    AtomicReference<Thread> refetcher = new AtomicReference<>();
    Future<List<JWK>> unknown =
        threads.submit(
            () -> {
              refetcher.set(Thread.currentThread());
              return cache.candidates(rs256("key-b"));
            });
    while (idp.requestsTo(JWKS) < 2) {
      Thread.sleep(5);
    }

    assertThat(kids(cache.candidates(rs256("key-a")))).containsExactly("key-a");
    assertThat(unknown.isDone()).isFalse();
    idp.open();
    assertThat(unknown.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void keysOlderThanTheRefreshIntervalAreReadAgainSoADroppedKeyStopsWorking()
      throws OidcErrorException {
    serve(KEY_A, KEY_B);
    cache.candidates(rs256("key-a"));
    serve(KEY_B); // the provider retires key-a
    clock.advance(REFRESH.minusSeconds(1));
    assertThat(kids(cache.candidates(rs256("key-a")))).containsExactly("key-a");
    assertThat(idp.requestsTo(JWKS)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    // The request that finds the keys stale is served from them while they are read again.
    assertThat(kids(cache.candidates(rs256("key-b")))).containsExactly("key-b");
    assertThat(cache.candidates(rs256("key-a"))).isEmpty();
    assertThat(idp.requestsTo(JWKS)).isEqualTo(2);
  }

  @Test
  void theJwksUriIsReadAtEachFetchSoAMovedKeySetIsFollowed() throws OidcErrorException {
    URI moved = URI.create("https://idp.example/keys/v2");
    AtomicReference<URI> where = new AtomicReference<>(JWKS);
    JwksCache following = new JwksCache(where::get, idp, clock, TIMING, Runnable::run);
    serve(KEY_A);
    following.candidates(rs256("key-a"));
    idp.json(moved, new JWKSet(List.of(KEY_A.toPublicJWK(), KEY_B.toPublicJWK())).toString());
    where.set(moved);
    clock.advance(REFRESH.plusSeconds(1));

    assertThat(kids(following.candidates(rs256("key-b")))).containsExactly("key-b");
    assertThat(idp.requestsTo(moved)).isEqualTo(1);
  }

  @Test
  void anUnreachableEndpointBeforeAnyKeysWereReadAnswers503WithRetryAfter() {
    idp.unreachable(JWKS);
    assertThatThrownBy(() -> cache.candidates(rs256("key-a")))
        .isInstanceOfSatisfying(
            OidcErrorException.class,
            e -> {
              OidcError error = e.error();
              assertThat(error.status()).isEqualTo(503);
              assertThat(error.code()).isEqualTo("temporarily_unavailable");
              assertThat(error.retryAfterSeconds()).isPositive();
              assertThat(error.description()).doesNotContain("connect timed out");
            });
  }

  @Test
  void anErrorStatusOrAGarbledBodyCountsAsAFailure() {
    idp.status(JWKS, 500, "{\"keys\":[]}");
    assertThatThrownBy(() -> cache.candidates(rs256("key-a")))
        .isInstanceOf(OidcErrorException.class);
    clock.advance(Duration.ofSeconds(2));
    idp.json(JWKS, "<html>not json</html>");
    assertThatThrownBy(() -> cache.candidates(rs256("key-a")))
        .isInstanceOf(OidcErrorException.class);
  }

  @Test
  void unavailableMetadataBeforeAnyKeysWereReadAnswers503() {
    JwksCache noMetadata =
        new JwksCache(
            () -> {
              throw OidcErrors.providerUnavailable("The identity provider is not reachable", 3);
            },
            idp,
            clock,
            TIMING,
            Runnable::run);
    assertThatThrownBy(() -> noMetadata.candidates(rs256("key-a")))
        .isInstanceOfSatisfying(
            OidcErrorException.class, e -> assertThat(e.error().status()).isEqualTo(503));
    assertThat(idp.requests()).isEmpty();
  }

  @Test
  void keysAreServedOnceTheEndpointRecoversFromAnOutageAtStart() throws OidcErrorException {
    idp.unreachable(JWKS);
    assertThatThrownBy(() -> cache.candidates(rs256("key-a")))
        .isInstanceOf(OidcErrorException.class);
    serve(KEY_A);
    clock.advance(MIN_REFRESH.plusSeconds(1)); // the next fetch this test's budget allows
    assertThat(kids(cache.candidates(rs256("key-a")))).containsExactly("key-a");
  }

  @Test
  void aFailedRefreshKeepsTheLastGoodKeys() throws OidcErrorException {
    serve(KEY_A);
    cache.candidates(rs256("key-a"));
    idp.status(JWKS, 503, "");
    clock.advance(REFRESH.plusSeconds(1));

    assertThat(kids(cache.candidates(rs256("key-a")))).containsExactly("key-a");
    assertThat(idp.requestsTo(JWKS)).isEqualTo(2);
  }

  @Test
  void aFailingEndpointIsNotAskedAgainOnEveryRequestOnceTheKeysAreStale()
      throws OidcErrorException {
    serve(KEY_A);
    cache.candidates(rs256("key-a"));
    idp.unreachable(JWKS);
    clock.advance(REFRESH.plusSeconds(1));

    for (int i = 0; i < 50; i++) {
      assertThat(kids(cache.candidates(rs256("key-a")))).containsExactly("key-a");
      clock.advance(Duration.ofMillis(100));
    }
    // 5 s of traffic: at most one more attempt within the minimum refresh interval.
    assertThat(idp.requestsTo(JWKS)).isLessThanOrEqualTo(2);
  }

  /** Waits until every worker is parked: in the transport's gate or waiting for the fetch lock. */
  private static void awaitAllWaiting(List<Thread> workers, int count) throws InterruptedException {
    while (true) {
      synchronized (workers) {
        if (workers.size() == count
            && workers.stream()
                .allMatch(
                    t ->
                        t.getState() == Thread.State.WAITING
                            || t.getState() == Thread.State.TIMED_WAITING)) {
          return;
        }
      }
      Thread.sleep(5);
    }
  }
}
