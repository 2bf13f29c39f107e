package dev.oidcgate.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.identity.Caller;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * A bearer token through {@link OidcGate#authenticateBearer} (size and syntax checks, the verdict
 * cache, signature and claims, access rules, the caller): once already seen, and new on every call
 * next to Nimbus's own {@link DefaultJWTProcessor} doing the signature and claim checks alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class TokenBenchmarks {

  /** More tokens than the new-token gate remembers, so that each call verifies a signature. */
  private static final int POOL = 256;

  private OidcGate seenGate;
  private OidcGate newGate;
  private String seen;
  private String[] rs256;
  private String[] es256;
  private DefaultJWTProcessor<SecurityContext> nimbusRs256;
  private DefaultJWTProcessor<SecurityContext> nimbusEs256;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    BenchIdp idp = new BenchIdp();
    seenGate = OidcGate.start(idp.config().set("scopesRequired", "read").build());
    newGate =
        OidcGate.start(
            idp.config().set("scopesRequired", "read").set("tokenCacheSize", "1").build());
    seen = idp.rs256("alice");
    rs256 = pool(idp::rs256);
    es256 = pool(idp::es256);
    nimbusRs256 = nimbus(idp, JWSAlgorithm.RS256);
    nimbusEs256 = nimbus(idp, JWSAlgorithm.ES256);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    seenGate.close();
    newGate.close();
  }

  @Benchmark
  public Caller seenToken() throws Exception {
    return seenGate.authenticateBearer(seen);
  }

  @Benchmark
  public Caller newRs256() throws Exception {
    return newGate.authenticateBearer(rs256[next++ & (POOL - 1)]);
  }

  @Benchmark
  public JWTClaimsSet nimbusRs256() throws Exception {
    return nimbusRs256.process(rs256[next++ & (POOL - 1)], null);
  }

  @Benchmark
  public Caller newEs256() throws Exception {
    return newGate.authenticateBearer(es256[next++ & (POOL - 1)]);
  }

  @Benchmark
  public JWTClaimsSet nimbusEs256() throws Exception {
    return nimbusEs256.process(es256[next++ & (POOL - 1)], null);
  }

  private static String[] pool(Function<String, String> mint) {
    String[] tokens = new String[POOL];
    for (int i = 0; i < POOL; i++) {
      tokens[i] = mint.apply("user-" + i);
    }
    return tokens;
  }

  /** What an app calling Nimbus directly would check: signature, issuer, audience, expiry. */
  private static DefaultJWTProcessor<SecurityContext> nimbus(BenchIdp idp, JWSAlgorithm alg) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(idp.publicKeys())));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            BenchIdp.CLIENT_ID,
            new JWTClaimsSet.Builder().issuer(BenchIdp.ISSUER).build(),
            Set.of("sub", "exp", "iat")));
    return processor;
  }
}
