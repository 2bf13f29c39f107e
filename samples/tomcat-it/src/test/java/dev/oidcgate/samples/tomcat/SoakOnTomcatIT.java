package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak of the sample WAR on a real Tomcat 11: many connections of bearer traffic (seen
 * tokens, a new token on every tenth request, uploads) while browsers sign in, use their session,
 * wait for a refresh and sign out, all through the filter and the proxy to the echo upstream. Every
 * answer must be the expected one; the Tomcat JVM's heap after a full GC must level off (no upward
 * trend over the second half of the samples, see {@link HeapTrend}), and its threads and its
 * connections to the upstream and the IdP must stay bounded. {@code -Dsoak.seconds=600} runs it
 * longer; the numbers go to {@code target/soak-report.txt}.
 */
class SoakOnTomcatIT {

  private static final String CONTEXT = "app";
  private static final int BEARER_WORKERS = 48;
  private static final int BROWSER_WORKERS = 6;

  /** Access tokens of browser sessions live this long, so each sign-in sees a refresh. */
  private static final int SESSION_TOKEN_SECONDS = 10;

  private static final int TOKEN_CACHE_SIZE = 1_000;

  private static final byte[] UPLOAD = new byte[32 * 1024];

  private static TestAuthServer op;
  private static EchoUpstream upstream;
  private static TomcatProcess tomcat;

  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void startTomcat() throws Exception {
    op = new TestAuthServer();
    upstream = new EchoUpstream();
    tomcat = TomcatProcess.forSampleWar("catalina-base-soak");
    Map<String, String> env = new HashMap<>();
    env.put("OIDC_ISSUER", op.issuer());
    env.put("OIDC_CLIENT_ID", TestAuthServer.CLIENT_ID);
    env.put("OIDC_CLIENT_SECRET", TestAuthServer.CLIENT_SECRET);
    env.put("UPSTREAM_URL", upstream.url());
    env.put("OIDC_SESSION_SECRET", "soak-session-secret-0123456789abcdef0123");
    env.put("OIDC_EXTERNAL_URL", tomcat.url("/" + CONTEXT).toString());
    // Token caches small enough to fill during the warm-up (about 100 new tokens a second): what
    // the heap does afterwards is then the trend to judge, not caches still filling.
    env.put("OIDC_TOKEN_CACHE_SIZE", Integer.toString(TOKEN_CACHE_SIZE));
    env.put("CATALINA_OPTS", "-Xmx256m " + ProcessProbe.gcLogOption(gcLog()));
    tomcat.start(env);
    tomcat.awaitStatus("/" + CONTEXT + "/api/get", 401, Duration.ofSeconds(60));
    Browser probe = new Browser();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (probe.get(app("/oidc-route/")).statusCode() != 302) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the login never started\n" + tomcat.logTail());
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopTomcat() throws Exception {
    Teardown.closeAll(tomcat, upstream, op);
  }

  @Test
  void mixedTrafficForMinutesAnswersAsExpectedAndLevelsOff() throws Exception {
    Duration length = Duration.ofSeconds(Long.getLong("soak.seconds", 120));
    Duration warmUp = Duration.ofSeconds(20);
    // The bearer workers' tokens must outlive the run, however long it is asked to be.
    op.accessTokenLifetime = (int) warmUp.plus(length).toSeconds() + 300;
    List<String> tokens = seedBearerTokens(16);
    op.accessTokenLifetime = SESSION_TOKEN_SECONDS;
    ProcessProbe probe = new ProcessProbe(tomcat.pid(), gcLog());
    int opPort = URI.create(op.issuer()).getPort();
    int upstreamPort = URI.create(upstream.url()).getPort();
    int refreshesBefore = op.refreshes.get();

    long end = System.nanoTime() + warmUp.plus(length).toNanos();
    ExecutorService workers = Executors.newFixedThreadPool(BEARER_WORKERS + BROWSER_WORKERS);
    HttpClient api =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    for (int i = 0; i < BEARER_WORKERS; i++) {
      workers.submit(() -> bearerLoop(api, tokens, end));
    }
    for (int i = 0; i < BROWSER_WORKERS; i++) {
      workers.submit(() -> browserLoop(end));
    }

    Thread.sleep(warmUp.toMillis());
    List<Sample> samples = new ArrayList<>();
    long sampling = System.nanoTime();
    while (System.nanoTime() < end) {
      samples.add(Sample.take(probe, upstreamPort, opPort, "load", sampling));
      Thread.sleep(Math.min(15_000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
    }
    workers.shutdown();
    assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).as("workers finish").isTrue();
    Thread.sleep(5_000);
    Sample idle = Sample.take(probe, upstreamPort, opPort, "idle", sampling);
    samples.add(idle);
    int refreshes = op.refreshes.get() - refreshesBefore;
    report(length, samples, refreshes);

    assertThat(unexpected).as("unexpected answers").isEmpty();
    assertThat(count("bearer 200")).as("bearer requests").isGreaterThan(1_000);
    assertThat(count("signed out")).as("browser sign-in cycles").isGreaterThan(5);
    assertThat((long) refreshes)
        .as("refreshes at the IdP")
        .isGreaterThanOrEqualTo(count("signed out"));
    assertThat(HeapTrend.problem(samples.stream().map(Sample::heap).toList()))
        .as("heap after full GC levels off")
        .isEmpty();
    int firstHalfThreads =
        samples.subList(0, (samples.size() + 1) / 2).stream()
            .mapToInt(Sample::threads)
            .max()
            .orElseThrow();
    assertThat(samples.stream().mapToInt(Sample::threads).max().orElseThrow())
        .as("threads never grow past the first half's peak: %s", samples)
        .isLessThanOrEqualTo(firstHalfThreads + 4);
    int concurrency = BEARER_WORKERS + BROWSER_WORKERS;
    assertThat(samples)
        .as("connections to the upstream stay within the requests in flight (pool reuse)")
        .allSatisfy(s -> assertThat(s.upstreamConnections()).isLessThanOrEqualTo(concurrency + 4));
    assertThat(samples)
        .as("connections to the IdP stay within both filters' pools")
        .allSatisfy(s -> assertThat(s.idpConnections()).isLessThanOrEqualTo(40));
    assertThat(tomcat.logs()).doesNotContain("SEVERE").doesNotContain("Exception");
  }

  private void bearerLoop(HttpClient api, List<String> tokens, long end) {
    int n = 0;
    while (System.nanoTime() < end) {
      n++;
      try {
        boolean fresh = n % 10 == 0;
        boolean upload = n % 8 == 0;
        String token = fresh ? freshToken(tokens.get(0)) : tokens.get(n % tokens.size());
        HttpRequest.Builder b =
            HttpRequest.newBuilder(app(upload ? "/api/post" : "/api/get?n=" + n))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        b = upload ? b.POST(HttpRequest.BodyPublishers.ofByteArray(UPLOAD)) : b.GET();
        HttpResponse<String> r = api.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> seen = r.statusCode() == 200 ? JSONObjectUtils.parse(r.body()) : null;
        boolean ok =
            seen != null
                && seen.get("path").equals(upload ? "/post" : "/get")
                && ((Number) seen.get("bodyBytes")).longValue() == (upload ? UPLOAD.length : 0);
        record(ok ? "bearer 200" : "bearer " + r.statusCode(), ok, r.statusCode() + " " + r.body());
      } catch (Exception e) {
        record("bearer " + e.getClass().getSimpleName(), false, e.toString());
      }
    }
  }

  private void browserLoop(long end) {
    Browser browser = new Browser();
    while (System.nanoTime() < end) {
      try {
        HttpResponse<String> landed = signIn(browser);
        if (!expect(landed, 200, "landed after sign-in")) {
          continue;
        }
        for (int i = 0; i < 3; i++) {
          expect(browser.get(app("/oidc-route/get?i=" + i)), 200, "session request");
        }
        // Past half of the access token's life: the next request refreshes it.
        Thread.sleep(SESSION_TOKEN_SECONDS * 600L + ThreadLocalRandom.current().nextInt(1000));
        expect(browser.get(app("/oidc-route/get?after=refresh")), 200, "request after refresh");
        HttpResponse<String> logout = browser.get(app("/oidc-route/logout"));
        if (!expect(logout, 302, "logout")) {
          continue;
        }
        HttpResponse<String> atOp = browser.get(Browser.location(logout));
        expect(atOp, 302, "end session at the IdP");
        HttpResponse<String> after = browser.get(app("/oidc-route/get"));
        expect(after, 302, "old session after logout");
        record("signed out", true, "");
      } catch (Exception e) {
        record("browser " + e.getClass().getSimpleName(), false, e.toString());
      }
    }
  }

  private HttpResponse<String> signIn(Browser browser) throws Exception {
    HttpResponse<String> start = browser.get(app("/oidc-route/get"));
    if (!expect(start, 302, "login start")) {
      return start;
    }
    HttpResponse<String> atOp = browser.get(Browser.location(start));
    if (!expect(atOp, 302, "authorize")) {
      return atOp;
    }
    HttpResponse<String> back = browser.get(Browser.location(atOp));
    if (!expect(back, 302, "callback")) {
      return back;
    }
    return browser.get(Browser.location(back));
  }

  private List<String> seedBearerTokens(int count) throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Browser browser = new Browser();
      HttpResponse<String> landed = signIn(browser);
      assertThat(landed.statusCode()).as(landed.body()).isEqualTo(200);
      @SuppressWarnings("unchecked")
      Map<String, List<Object>> headers =
          (Map<String, List<Object>>) JSONObjectUtils.parse(landed.body()).get("headers");
      tokens.add(String.valueOf(headers.get("authorization").get(0)).substring(7));
    }
    assertThat(unexpected).isEmpty();
    return tokens;
  }

  /**
   * A token never seen before: the claims of {@code model} with a new id, signed by the IdP's key.
   */
  private static String freshToken(String model) throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(model).getJWTClaimsSet();
    JWTClaimsSet fresh =
        new JWTClaimsSet.Builder(claims)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(Instant.now().minusSeconds(1)))
            .build();
    RSAKey key = op.signingKey();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), fresh);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private boolean expect(HttpResponse<String> r, int status, String step) {
    boolean ok = r.statusCode() == status;
    record(ok ? step : step + " " + r.statusCode(), ok, r.uri() + " " + r.body());
    return ok;
  }

  private void record(String outcome, boolean ok, String detail) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    if (!ok && unexpected.size() < 20) {
      unexpected.add(outcome + ": " + detail.substring(0, Math.min(300, detail.length())));
    }
  }

  private long count(String outcome) {
    LongAdder adder = outcomes.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  private void report(Duration length, List<Sample> samples, int refreshes) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("soak of ").append(length.toSeconds()).append(" s after a 20 s warm-up, ");
    out.append(BEARER_WORKERS).append(" bearer and ").append(BROWSER_WORKERS);
    out.append(" browser workers\noutcomes: ").append(new java.util.TreeMap<>(outcomes));
    out.append("\nrefreshes at the IdP: ").append(refreshes).append('\n');
    samples.forEach(s -> out.append(s).append('\n'));
    Path file = Path.of("target", "soak-report.txt");
    Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    System.out.println(out);
  }

  private static Path gcLog() {
    return tomcat.base().resolve("logs").resolve("gc.log");
  }

  private static URI app(String pathInApp) {
    return tomcat.url("/" + CONTEXT + pathInApp);
  }

  /** One look at the Tomcat JVM. */
  record Sample(
      String when,
      Duration at,
      long heapMiB,
      int threads,
      int upstreamConnections,
      int idpConnections) {
    static Sample take(
        ProcessProbe probe, int upstreamPort, int opPort, String when, long sinceNanos)
        throws Exception {
      Duration at = Duration.ofNanos(System.nanoTime() - sinceNanos);
      return new Sample(
          when,
          at,
          probe.heapAfterFullGc(),
          probe.threads(),
          probe.establishedTo(upstreamPort),
          probe.establishedTo(opPort));
    }

    HeapTrend.Point heap() {
      return new HeapTrend.Point(at, heapMiB);
    }

    @Override
    public String toString() {
      return when
          + " at "
          + at.toSeconds()
          + " s: heap after GC "
          + heapMiB
          + " MiB, threads "
          + threads
          + ", connections to upstream "
          + upstreamConnections
          + ", to IdP "
          + idpConnections;
    }
  }
}
