package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.oidc.config.TokenSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.token.LogoutTokenVerifier;
import dev.oidcgate.oidc.token.SignatureCheck;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * The back-channel logout token on hostile input: {@link LogoutTokenVerifier#verify} (Nimbus
 * parsing, our signature, {@code typ}, issuer, audience, time, event and subject checks) on
 * arbitrary strings and on edits of logout tokens validly signed with a local RSA and EC key.
 * Property: every refusal is an {@link OidcErrorException} 400 that does not quote the token, never
 * an unchecked exception (which {@code BackchannelLogout} would only paper over); a token is
 * accepted only if it is the one that was signed.
 *
 * <p>Input: mode byte 0 = the rest is the token, 1/2 = the rest edits a valid RS256/ES256 logout
 * token. docs/fuzzing.md.
 */
class LogoutTokenFuzzTest {

  static final int MODES = 3;

  private static LogoutTokenVerifier verifier;
  private static String rsaToken;
  private static String ecToken;

  private static synchronized void init() throws Exception {
    if (verifier != null) {
      return;
    }
    FuzzProvider idp = FuzzProvider.get();
    JwksCache keys =
        new JwksCache(
            () -> URI.create(FuzzProvider.ISSUER + "/jwks"),
            idp.transport,
            Clock.systemUTC(),
            new JwksCache.Timing(
                Duration.ofMinutes(10), Duration.ofSeconds(30), 1, Duration.ofSeconds(60)),
            Runnable::run);
    verifier =
        new LogoutTokenVerifier(
            new SignatureCheck(keys, TokenSettings.ASYMMETRIC_ALGORITHMS),
            FuzzProvider.ISSUER,
            FuzzProvider.CLIENT_ID,
            Clock.systemUTC(),
            Duration.ofSeconds(60),
            Duration.ofMinutes(30));
    rsaToken = idp.logoutToken(idp.rsa);
    ecToken = idp.logoutToken(idp.ec);
  }

  @FuzzTest
  void onlyAnUntouchedSignedLogoutTokenIsAccepted(byte[] input) throws Exception {
    init();
    FuzzInput in = FuzzInput.of(input, MODES);
    String valid =
        switch (in.mode()) {
          case 1 -> rsaToken;
          case 2 -> ecToken;
          default -> null;
        };
    String token = valid == null ? in.text() : in.mutate(valid);
    try {
      LogoutTokenVerifier.LogoutToken verified = verifier.verify(token);
      if (!token.equals(valid)) {
        fail("accepted a logout token that was not signed as it is: %s", token);
      }
      assertThat(verified.subject()).contains("alice");
    } catch (OidcErrorException e) {
      assertThat(e.error().status()).isEqualTo(400);
      assertThat(token.equals(valid)).as("the untouched token is refused: " + e).isFalse();
      if (token.length() >= 8) {
        assertThat(e.getMessage()).doesNotContain(token);
      }
    }
  }
}
