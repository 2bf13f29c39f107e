package dev.oidcgate.oidc.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BearerTokenValidatorTest {

  /** A clock a test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final AtomicInteger jwtChecks = new AtomicInteger();
  private final AtomicInteger introspections = new AtomicInteger();

  private BearerTokenValidator validator() {
    AccessTokenValidator jwt =
        token -> {
          jwtChecks.incrementAndGet();
          Instant exp = clock.instant().plus(Duration.ofMinutes(5));
          return new VerifiedToken(Map.of("sub", "alice"), exp, exp);
        };
    AccessTokenValidator opaque =
        token -> {
          introspections.incrementAndGet();
          if (token.equals("bad")) {
            throw OidcErrors.invalidToken("The token is not active");
          }
          return new VerifiedToken(
              Map.of("sub", "bob"), null, clock.instant().plus(Duration.ofMinutes(1)));
        };
    return new BearerTokenValidator(jwt, opaque, 100, 1000, clock);
  }

  @Test
  void aVerifiedTokenCostsOneCheckUntilItExpires() throws OidcErrorException {
    BearerTokenValidator v = validator();
    v.validate("a.b.c");
    v.validate("a.b.c");
    clock.now = clock.now.plus(Duration.ofMinutes(4));
    v.validate("a.b.c");
    assertThat(jwtChecks).hasValue(1);
    clock.now = clock.now.plus(Duration.ofMinutes(2)); // past the token's expiry
    v.validate("a.b.c");
    assertThat(jwtChecks).hasValue(2);
  }

  @Test
  void anIntrospectionResultIsReusedNoLongerThanAllowed() throws OidcErrorException {
    BearerTokenValidator v = validator();
    v.validate("opaque");
    v.validate("opaque");
    assertThat(introspections).hasValue(1);
    clock.now = clock.now.plus(Duration.ofSeconds(61));
    v.validate("opaque");
    assertThat(introspections).hasValue(2);
  }

  @Test
  void refusalsAreNotCached() {
    BearerTokenValidator v = validator();
    assertThatThrownBy(() -> v.validate("bad")).isInstanceOf(OidcErrorException.class);
    assertThatThrownBy(() -> v.validate("bad")).isInstanceOf(OidcErrorException.class);
    assertThat(introspections).hasValue(2);
  }

  @Test
  void oversizedAndMalformedTokensAreRefusedBeforeAnyCheck() {
    BearerTokenValidator v = validator();
    assertThatThrownBy(() -> v.validate("x".repeat(101))).hasMessageContaining("too long");
    assertThatThrownBy(() -> v.validate("a b")).hasMessageContaining("malformed");
    assertThatThrownBy(() -> v.validate("ä.b.c")).hasMessageContaining("malformed");
    assertThat(jwtChecks).hasValue(0);
    assertThat(introspections).hasValue(0);
  }

  @Test
  void theRfc6750B64tokenGrammarDecidesWhatIsMalformed() {
    // 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    for (String good : new String[] {"a", "Az09-._~+/", "abc=", "abc==", "a.b.c", "~"}) {
      assertThat(BearerTokenValidator.isB64Token(good.getBytes(StandardCharsets.UTF_8)))
          .as(good)
          .isTrue();
    }
    for (String bad :
        new String[] {
          "", "=", "==", "a=b", "=a", "a b", "a\tb", "a\nb", "ä", "a,b", "a%2F", "a;"
        }) {
      assertThat(BearerTokenValidator.isB64Token(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isFalse();
    }
  }

  @Test
  void onlyThreePartTokensGoToJwtValidationEverythingElseToIntrospection()
      throws OidcErrorException {
    BearerTokenValidator v = validator();
    v.validate("a.b.c");
    v.validate("a.b.c.d.e"); // a JWE: only its issuer can read it
    v.validate("plain");
    assertThat(jwtChecks).hasValue(1);
    assertThat(introspections).hasValue(2);
  }
}
