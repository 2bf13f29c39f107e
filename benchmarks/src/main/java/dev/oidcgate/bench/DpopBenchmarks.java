package dev.oidcgate.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.token.DpopProofs;
import java.net.URI;
import java.util.Date;
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
 * The cost of a DPoP-bound request (RFC 9449) next to a bearer one, through {@link
 * OidcGate#authenticateBearer(String, DpopProofs.Presentation, AccessRule)} with the default {@code
 * dpopTokens=accept}: the same already-seen token (so the token's own signature is cached), once as
 * {@code Bearer} and once bound by {@code cnf.jkt} with a fresh proof per call (ES256 or RS256
 * key), which costs the proof's signature, its claims and a {@code jti} written to the in-memory
 * replay guard. Proofs are made before each iteration, outside the measured time, {@link #POOL} of
 * them: an iteration that needs more fails rather than replay one (use short iterations, {@code -r
 * 200ms}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class DpopBenchmarks {

  static final URI URL = URI.create("https://api.example.com/app/resource");

  /** Proofs made for one iteration. */
  static final int POOL = 6000;

  OidcGate gate;
  String bearer;
  String boundEc;
  String boundRsa;
  DefaultDPoPProofFactory ecProofs;
  DefaultDPoPProofFactory rsaProofs;

  @Setup(Level.Trial)
  public void setUp() throws JOSEException {
    BenchIdp idp = new BenchIdp();
    gate = OidcGate.start(idp.config().set("dpopProofMaxAge", "10m").build());
    bearer = idp.rs256("alice");
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    JWK rsa = new RSAKeyGenerator(2048).generate();
    ecProofs = new DefaultDPoPProofFactory(ec, JWSAlgorithm.ES256);
    rsaProofs = new DefaultDPoPProofFactory(rsa, JWSAlgorithm.RS256);
    boundEc = idp.rs256(bound(ec));
    boundRsa = idp.rs256(bound(rsa));
  }

  private static JWTClaimsSet bound(JWK key) throws JOSEException {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder()
        .issuer(BenchIdp.ISSUER)
        .subject("alice")
        .audience(BenchIdp.CLIENT_ID)
        .issueTime(new Date(now))
        .expirationTime(new Date(now + 3_600_000))
        .claim("scope", "openid read")
        .claim("cnf", Map.of("jkt", key.computeThumbprint().toString()))
        .build();
  }

  /** Fresh proofs for one iteration of one benchmark (a used one is refused as a replay). */
  @State(Scope.Thread)
  public abstract static class Proofs {
    private final DpopProofs.Presentation[] pool = new DpopProofs.Presentation[POOL];
    private int next;

    abstract DefaultDPoPProofFactory factory(DpopBenchmarks b);

    abstract String token(DpopBenchmarks b);

    @Setup(Level.Iteration)
    public void make(DpopBenchmarks b) throws JOSEException {
      for (int i = 0; i < POOL; i++) {
        pool[i] =
            new DpopProofs.Presentation(
                true,
                factory(b).createDPoPJWT("GET", URL, new DPoPAccessToken(token(b))).serialize(),
                "GET",
                URL);
      }
      next = 0;
    }

    DpopProofs.Presentation next() {
      if (next == POOL) {
        throw new IllegalStateException("more calls than proofs in one iteration: shorten -r");
      }
      return pool[next++];
    }
  }

  public static class EcProofs extends Proofs {
    @Override
    DefaultDPoPProofFactory factory(DpopBenchmarks b) {
      return b.ecProofs;
    }

    @Override
    String token(DpopBenchmarks b) {
      return b.boundEc;
    }
  }

  public static class RsaProofs extends Proofs {
    @Override
    DefaultDPoPProofFactory factory(DpopBenchmarks b) {
      return b.rsaProofs;
    }

    @Override
    String token(DpopBenchmarks b) {
      return b.boundRsa;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gate.close();
  }

  @Benchmark
  public Caller bearerToken() throws Exception {
    return gate.authenticateBearer(
        bearer, DpopProofs.Presentation.BEARER, AccessRule.ALLOW_AUTHENTICATED);
  }

  @Benchmark
  public Caller dpopBoundTokenEs256Proof(EcProofs proofs) throws Exception {
    return gate.authenticateBearer(boundEc, proofs.next(), AccessRule.ALLOW_AUTHENTICATED);
  }

  @Benchmark
  public Caller dpopBoundTokenRs256Proof(RsaProofs proofs) throws Exception {
    return gate.authenticateBearer(boundRsa, proofs.next(), AccessRule.ALLOW_AUTHENTICATED);
  }
}
