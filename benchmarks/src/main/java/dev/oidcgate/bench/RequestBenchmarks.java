package dev.oidcgate.bench;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.identity.IdentityHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** What the filter does per request once the caller is known: access rules, identity headers. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RequestBenchmarks {

  private AccessRule rule;
  private IdentityHeaders headers;
  private Map<String, Object> claims;
  private String token;

  @Setup
  public void setUp() {
    BenchIdp idp = new BenchIdp();
    OidcConfig config =
        idp.config()
            .set("scopesRequired", "read write, admin")
            .set("rolesRequired", "reader")
            .set("rolesClaim", "realm_access.roles")
            .set("upstreamClaimHeaders", "X-User=sub,X-Email=email,X-Roles=realm_access.roles")
            .build();
    rule = config.access().rule();
    headers = config.upstream().identityHeaders();
    token = idp.rs256("alice");
    claims =
        Map.of(
            "sub", "alice",
            "email", "alice@example.com",
            "scope", "openid profile read write",
            "realm_access", Map.of("roles", List.of("reader", "writer")));
  }

  @Benchmark
  public Optional<String> accessRules() {
    return rule.deny(claims);
  }

  @Benchmark
  public Map<String, String> identityHeaders() {
    return headers.forCaller(token, claims);
  }
}
