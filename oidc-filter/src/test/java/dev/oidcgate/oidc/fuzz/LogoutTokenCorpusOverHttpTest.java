package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link LogoutTokenFuzzTest}'s corpus through the real stack: each input is posted as {@code
 * logout_token} to the filter's back-channel logout endpoint in Jetty (edits apply to a logout
 * token that {@link TestAuthServer} signed, fresh for each input so that only replay protection
 * could refuse an untouched one). Every answer is 400, or 200 for an untouched token; never a 5xx,
 * and the token is never echoed.
 */
@Timeout(120)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class LogoutTokenCorpusOverHttpTest {

  private FilterServers apps;

  @Test
  void everyCorpusInputIsRefusedWithoutA5xxOrAnEcho(TestAuthServer op) throws Exception {
    FilterServer app = apps.start(op.filterParams());
    int accepted = 0;
    for (byte[] bytes :
        FuzzInput.corpus(LogoutTokenFuzzTest.class, "onlyAnUntouchedSignedLogoutTokenIsAccepted")) {
      FuzzInput in = FuzzInput.of(bytes, LogoutTokenFuzzTest.MODES);
      String valid = logoutToken(op);
      String token = in.mode() == 0 ? in.text() : in.mutate(valid);
      RawExchange r =
          RawExchange.send(
              app.uri("/"),
              "POST /app/backchannel-logout HTTP/1.1\r\nHost: 127.0.0.1"
                  + "\r\nContent-Type: application/x-www-form-urlencoded",
              "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
      if (r.status() == 200) {
        assertThat(token).as("accepted over HTTP").isEqualTo(valid);
        accepted++;
        continue;
      }
      assertThat(r.status()).as("answer to %s", token).isEqualTo(400);
      if (token.length() >= 8) {
        assertThat(r.whole()).doesNotContain(token);
      }
    }
    assertThat(accepted).as("the untouched seeds pass").isPositive();
  }

  private static String logoutToken(TestAuthServer op) {
    return TestIdp.sign(
        op.signingKey(),
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(op.signingKey().getKeyID())
            .type(new JOSEObjectType("logout+jwt"))
            .build(),
        new JWTClaimsSet.Builder()
            .issuer(op.issuer())
            .audience(TestAuthServer.CLIENT_ID)
            .subject("alice")
            .issueTime(new Date())
            .jwtID(UUID.randomUUID().toString())
            .claim("events", Map.of(FuzzProvider.BACKCHANNEL_EVENT, Map.of()))
            .build());
  }
}
