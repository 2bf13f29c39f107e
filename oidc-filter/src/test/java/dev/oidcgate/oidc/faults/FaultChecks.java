package dev.oidcgate.oidc.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** What the fault tests share: polling, thread counts, bearer tokens, the 503 they expect. */
final class FaultChecks {

  /** Generous: the machine may be loaded; conditions are polled, never timed. */
  static final Duration LIMIT = Duration.ofSeconds(20);

  /** Names of the filter's own threads (refresh scheduler, HTTP deadlines). */
  static final String FILTER_THREADS = "oidc-gate";

  private FaultChecks() {}

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("still not true after " + LIMIT + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Polls {@code call} until its status is {@code status}; returns that answer. */
  static <T> HttpResponse<T> awaitStatus(int status, Callable<HttpResponse<T>> call)
      throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      HttpResponse<T> r = call.call();
      if (r.statusCode() == status) {
        return r;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "still " + r.statusCode() + " instead of " + status + " after " + LIMIT);
      }
      Thread.sleep(100);
    }
  }

  static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  /** The documented answer while something the filter needs is down: 503, Retry-After, no trace. */
  static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** An access token for the test server's client, signed with {@code key}. */
  static String bearer(TestAuthServer op, RSAKey key) {
    long now = System.currentTimeMillis();
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(new JOSEObjectType("at+jwt"))
                  .build(),
              new JWTClaimsSet.Builder()
                  .issuer(op.issuer())
                  .subject("api-client")
                  .audience(TestAuthServer.CLIENT_ID)
                  .issueTime(new Date(now))
                  .expirationTime(new Date(now + 600_000))
                  .build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
