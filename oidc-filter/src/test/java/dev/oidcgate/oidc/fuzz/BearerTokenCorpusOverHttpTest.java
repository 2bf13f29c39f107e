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
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link BearerTokenFuzzTest}'s corpus through the real stack: each input becomes the {@code
 * Authorization} header of an API request to the filter in Jetty, in front of {@link
 * TestAuthServer} (edits apply to a token that server signed). Every answer is a 4xx, or 200 for
 * the untouched token; never a 5xx, and the token is never echoed.
 */
@Timeout(120)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class BearerTokenCorpusOverHttpTest {

  private FilterServers apps;

  @Test
  void everyCorpusInputIsRefusedWithoutA5xxOrAnEcho(TestAuthServer op) throws Exception {
    FilterServer app = apps.start(op.filterParams());
    String valid = accessToken(op);
    int accepted = 0;
    for (byte[] bytes :
        FuzzInput.corpus(BearerTokenFuzzTest.class, "onlyAnUntouchedSignedTokenIsAccepted")) {
      FuzzInput in = FuzzInput.of(bytes, BearerTokenFuzzTest.MODES);
      String header =
          switch (in.mode()) {
            case 0 -> in.text();
            case 1 -> "Bearer " + in.text();
            default -> "Bearer " + in.mutate(valid);
          };
      RawExchange r =
          RawExchange.send(
              app.uri("/"),
              "GET /app/resource HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json"
                  + "\r\nAuthorization: "
                  + header,
              "");
      String token = header.length() > 7 ? header.substring(7).trim() : header;
      if (r.status() == 200) {
        assertThat(token).as("accepted over HTTP").isEqualTo(valid);
        accepted++;
        continue;
      }
      assertThat(r.status()).as("answer to %s", header).isBetween(400, 499);
      if (token.length() >= 8) {
        assertThat(r.whole()).doesNotContain(token);
      }
    }
    assertThat(accepted).as("the untouched seeds pass").isPositive();
  }

  static String accessToken(TestAuthServer op) {
    long now = System.currentTimeMillis();
    return TestIdp.sign(
        op.signingKey(),
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(op.signingKey().getKeyID())
            .type(JOSEObjectType.JWT)
            .build(),
        new JWTClaimsSet.Builder()
            .issuer(op.issuer())
            .subject("alice")
            .audience(TestAuthServer.CLIENT_ID)
            .issueTime(new Date(now - 1000))
            .expirationTime(new Date(now + 300_000))
            .jwtID("jti-1")
            .claim("scope", "openid read") // an access token's mark (AccessTokenShape)
            .build());
  }
}
