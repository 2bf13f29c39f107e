package dev.oidcgate.bench;

import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.oidc.config.OidcConfigBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One seen bearer request through the whole {@link OidcFilter} ({@code doFilter}: every step of the
 * request path the configuration puts there, up to the app's chain), once per feature of this round
 * that a request pays for when it is on, next to the baseline with all of them off:
 *
 * <ul>
 *   <li>{@link #stepsBaseline}: {@code dpopTokens=refuse}, no {@code antiForgeryHeader}, {@code
 *       upstreamToken=caller};
 *   <li>{@link #stepsAntiForgeryHeader}: {@code antiForgeryHeader=X-CSRF}, a {@code POST} carrying
 *       it (a bearer caller passes the step at its first check, as it must);
 *   <li>{@link #stepsUpstreamClientCached} and {@link #stepsUpstreamExchangeCached}: {@code
 *       upstreamToken=client} / {@code exchange}, the upstream's token already in the filter's
 *       cache: the bench IdP's token endpoint is called in the setup only, and the trial fails if
 *       it was called while measured;
 *   <li>{@link #stepsDpopAccepted}: {@code dpopTokens=accept} (the default), a plain bearer token:
 *       what a bearer request pays for DPoP being accepted. A DPoP-bound request is {@link
 *       DpopBenchmarks}.
 * </ul>
 *
 * <p>The filter is the real one, built by its {@code init}; the request and response are plain
 * objects holding what a container would give the filter (headers, method, paths), so the number is
 * the filter's own work, without a container's HTTP parsing. Every configuration is checked in the
 * setup: the request reaches the chain as {@code alice}, with the upstream token expected.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class StepBenchmarks {

  static final String CONTEXT = "/app";
  static final String TOKEN_HEADER = "X-Upstream-Token";

  private final BenchIdp idp = new BenchIdp();
  private final Chain chain = new Chain();
  private String token;
  private Lane baseline;
  private Lane antiForgery;
  private Lane client;
  private Lane exchange;
  private Lane dpop;
  private int tokenCallsAfterSetup;

  /** A filter and the request it is measured on. */
  private record Lane(OidcFilter filter, ServletStandIns.BenchRequest request) {}

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    token = idp.rs256("alice");
    baseline = lane(off(), "GET", Map.of());
    antiForgery = lane(off().set("antiForgeryHeader", "X-CSRF"), "POST", Map.of("X-CSRF", "1"));
    client =
        lane(
            off()
                .set("upstreamToken", "client")
                .set("upstreamAccessTokenHeader", TOKEN_HEADER)
                .set("upstreamAudience", "orders"),
            "GET",
            Map.of());
    exchange =
        lane(
            off()
                .set("upstreamToken", "exchange")
                .set("upstreamAccessTokenHeader", TOKEN_HEADER)
                .set("upstreamAudience", "orders"),
            "GET",
            Map.of());
    dpop = lane(off().set("dpopTokens", "accept"), "GET", Map.of());
    for (Lane lane : List.of(baseline, antiForgery, client, exchange, dpop)) {
      check(lane); // the first call of the upstream-token lanes fills their cache
    }
    tokenCallsAfterSetup = idp.tokenCalls();
    for (Lane lane : List.of(client, exchange)) {
      check(lane);
      if (chain.upstreamToken == null || chain.upstreamToken.equals("Bearer " + token)) {
        throw new IllegalStateException("no upstream token of its own: " + chain.upstreamToken);
      }
    }
    if (idp.tokenCalls() != tokenCallsAfterSetup) {
      throw new IllegalStateException("a cached upstream token was fetched again");
    }
  }

  /** The configuration with every request-path feature of this round off. */
  private OidcConfigBuilder off() {
    return idp.config().set("dpopTokens", "refuse");
  }

  private Lane lane(OidcConfigBuilder config, String method, Map<String, String> extra)
      throws ServletException {
    OidcFilter filter = new OidcFilter(config.build());
    filter.init(ServletStandIns.filterConfig(CONTEXT));
    Map<String, String> headers = new HashMap<>(extra);
    headers.put("Authorization", "Bearer " + token);
    headers.put("Accept", "application/json");
    headers.put("Host", "app.example.com");
    return new Lane(
        filter, new ServletStandIns.BenchRequest(method, CONTEXT + "/orders/1", headers));
  }

  private void check(Lane lane) throws Exception {
    chain.principal = null;
    ServletStandIns.BenchResponse response = new ServletStandIns.BenchResponse();
    lane.filter().doFilter(lane.request(), response, chain);
    if (chain.principal == null || !chain.principal.equals("alice")) {
      throw new IllegalStateException(
          "the request did not reach the app as alice: " + response.getStatus());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (Lane lane : List.of(baseline, antiForgery, client, exchange, dpop)) {
      lane.filter().destroy();
    }
    if (idp.tokenCalls() != tokenCallsAfterSetup) {
      throw new IllegalStateException(
          "the token endpoint was called while measured: not a cache hit");
    }
  }

  private Chain run(Lane lane) throws IOException, ServletException {
    lane.filter().doFilter(lane.request(), new ServletStandIns.BenchResponse(), chain);
    return chain;
  }

  @Benchmark
  public Chain stepsBaseline() throws Exception {
    return run(baseline);
  }

  @Benchmark
  public Chain stepsAntiForgeryHeader() throws Exception {
    return run(antiForgery);
  }

  @Benchmark
  public Chain stepsUpstreamClientCached() throws Exception {
    return run(client);
  }

  @Benchmark
  public Chain stepsUpstreamExchangeCached() throws Exception {
    return run(exchange);
  }

  @Benchmark
  public Chain stepsDpopAccepted() throws Exception {
    return run(dpop);
  }

  /** The app: takes the request as the filter passes it on, reads what the app would. */
  static final class Chain implements FilterChain {
    volatile String principal;
    volatile String upstreamToken;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res) {
      HttpServletRequest request = (HttpServletRequest) req;
      Principal p = request.getUserPrincipal();
      principal = p == null ? null : p.getName();
      upstreamToken = request.getHeader(TOKEN_HEADER);
    }
  }
}
