package dev.oidcgate.oidc.cluster;

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
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Back-channel logout without Redis: one node keeps the logout records and used {@code jti}s in
 * memory, for every session store.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class SingleNodeBackchannelLogoutTest {

  private final HttpClient idpSide = HttpClient.newHttpClient();
  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  @ParameterizedTest
  @ValueSource(strings = {"cookie", "memory", "container"})
  void aLogoutTokenEndsTheSessionAndIsRefusedWhenReplayed(String store) throws Exception {
    op.idTokenTweak = b -> b.claim("sid", "op-session-1");
    Map<String, String> p = op.filterParams();
    p.put("sessionStore", store);
    app = apps.start(p); // no sessionSecret, no redisUri: one node on its own
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    String token = logoutToken();

    assertThat(post(token).statusCode()).isEqualTo(200);
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(302);
    assertThat(post(token).statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cookie", "memory", "container"})
  void aSidOnlyLogoutTokenEndsASessionWhoseRefreshedIdTokenHasNoSid(String store) throws Exception {
    op.idTokenTweak = b -> b.claim("sid", "op-session-1");
    op.accessTokenLifetime = 4; // due for refresh after half its life
    Map<String, String> p = op.filterParams();
    p.put("sessionStore", store);
    app = apps.start(p);
    TestBrowser browser = new TestBrowser();
    assertThat(browser.navigate(app.uri("/resource")).statusCode()).isEqualTo(200);
    int refreshes = op.refreshes.get();
    Thread.sleep(2300);
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(200);
    assertThat(op.refreshes.get()).isGreaterThan(refreshes); // the ID token now has no sid

    assertThat(post(logoutToken()).statusCode()).isEqualTo(200);
    assertThat(browser.get(app.uri("/resource")).statusCode()).isEqualTo(302);
  }

  @Test
  void aFilterWithoutLoginHasNoBackchannelEndpoint() throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", op.issuer());
    p.put("clientId", TestAuthServer.CLIENT_ID);
    p.put("credentials", "bearer");
    app = apps.start(p);
    assertThat(post(logoutToken()).statusCode()).isEqualTo(401);
  }

  private String logoutToken() {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(op.issuer())
            .audience(TestAuthServer.CLIENT_ID)
            .issueTime(new Date())
            .jwtID(UUID.randomUUID().toString())
            .claim("sid", "op-session-1")
            .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
            .build();
    return TestIdp.sign(
        op.signingKey(),
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(op.signingKey().getKeyID())
            .type(new JOSEObjectType("logout+jwt"))
            .build(),
        claims);
  }

  private HttpResponse<String> post(String token) throws Exception {
    return idpSide.send(
        HttpRequest.newBuilder(app.uri("/backchannel-logout"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
