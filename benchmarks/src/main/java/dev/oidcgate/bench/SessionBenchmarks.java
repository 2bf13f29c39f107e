package dev.oidcgate.bench;

import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCrypto;
import java.time.Instant;
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

/** Sealing and opening a cookie session as the cookie store does: JSON, then AEAD. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SessionBenchmarks {

  private static final String PURPOSE = "session";

  private SessionCrypto crypto;
  private OidcSession session;
  private String sealed;

  @Setup
  public void setUp() {
    BenchIdp idp = new BenchIdp();
    crypto = SessionCrypto.random();
    session = typicalSession(idp, "session-id-0123456789abcdef");
    sealed = crypto.seal(PURPOSE, session.toJson());
  }

  @Benchmark
  public String sealSession() {
    return crypto.seal(PURPOSE, session.toJson());
  }

  @Benchmark
  public Optional<OidcSession> openSession() {
    return crypto
        .open(PURPOSE, sealed)
        .map(
            json -> {
              try {
                return OidcSession.fromJson(json);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** A session as a login leaves it: an ID token, an access token, a refresh token. */
  static OidcSession typicalSession(BenchIdp idp, String id) {
    Instant now = Instant.now();
    return new OidcSession(
        id,
        BenchIdp.ISSUER,
        "alice",
        idp.es256("alice"),
        idp.es256("alice"),
        "refresh-" + id,
        now.plusSeconds(3600),
        now,
        true,
        Map.of(),
        now,
        now);
  }
}
