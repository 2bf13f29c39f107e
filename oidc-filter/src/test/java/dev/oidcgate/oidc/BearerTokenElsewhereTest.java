package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bearer tokens in a query parameter or another header: off unless configured. */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class BearerTokenElsewhereTest {

  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;

  private void start(String... settings) throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    for (int i = 0; i < settings.length; i += 2) {
      p.put(settings[i], settings[i + 1]);
    }
    app = apps.start(p);
  }

  @Test
  void byDefaultATokenInTheQueryOrAnotherHeaderIsNotACredential() throws Exception {
    start();
    String token = idp.rs256(c -> {});

    assertThat(app.get("/r?access_token=" + token).statusCode()).isEqualTo(401);
    assertThat(app.get("/r", "X-Api-Token", token).statusCode()).isEqualTo(401);
  }

  @Test
  void aConfiguredQueryParameterCarriesTheToken() throws Exception {
    start("bearerTokenQueryParameter", "access_token");
    String token = idp.rs256(c -> {});

    HttpResponse<String> ok = app.get("/r?x=1&access_token=" + token);
    HttpResponse<String> twice = app.get("/r?access_token=" + token + "&access_token=" + token);
    HttpResponse<String> alsoInHeader =
        app.get("/r?access_token=" + token, "Authorization", "Bearer " + token);

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(seen(ok).get("principal")).isEqualTo("alice");
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(alsoInHeader.statusCode()).isEqualTo(400);
    String wrongAudience = idp.rs256(c -> c.audience("someone-else"));
    assertThat(app.get("/r?access_token=" + wrongAudience).statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenFromTheQueryNeverReachesTheAppInItsQueryStringOrParameters() throws Exception {
    start("bearerTokenQueryParameter", "access_token", "publicPaths", "/pub/*");
    String token = idp.rs256(c -> {});

    HttpResponse<String> r = app.get("/r?access_token=" + token + "&x=1");
    HttpResponse<String> encodedName = app.get("/r?x=1&access%5Ftoken=" + token + "&y=%20");
    HttpResponse<String> alone = app.get("/r?access_token=" + token);
    HttpResponse<String> failedOnPublicPath = app.get("/pub/p?access_token=forged&x=1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen(r).get("principal")).isEqualTo("alice");
    assertThat(seen(r).get("query")).isEqualTo("x=1");
    assertThat(seen(r).get("parameters")).isEqualTo(Map.of("x", List.of("1")));
    assertThat(seen(r).get("parameterMap")).isEqualTo(List.of("x"));
    assertThat(seen(encodedName).get("query")).isEqualTo("x=1&y=%20");
    assertThat(seen(alone).get("query")).isNull();
    assertThat(seen(alone).get("parameters")).isEqualTo(Map.of());
    assertThat(failedOnPublicPath.statusCode()).isEqualTo(200);
    assertThat(seen(failedOnPublicPath).get("principal")).isNull();
    assertThat(seen(failedOnPublicPath).get("query")).isEqualTo("x=1");
  }

  @Test
  void withoutTheSettingAnAccessTokenParameterIsTheAppsOwn() throws Exception {
    start("unauthenticatedAction", "pass");

    HttpResponse<String> r = app.get("/r?access_token=abc&x=1");

    assertThat(seen(r).get("query")).isEqualTo("access_token=abc&x=1");
    assertThat(seen(r).get("parameters"))
        .isEqualTo(Map.of("access_token", List.of("abc"), "x", List.of("1")));
  }

  @Test
  void aConfiguredHeaderCarriesTheTokenAndNeverReachesTheApp() throws Exception {
    start("bearerTokenHeader", "X-Api-Token");
    String token = idp.rs256(c -> {});

    HttpResponse<String> plain = app.get("/r", "X-Api-Token", token);
    HttpResponse<String> withScheme = app.get("/r", "X-Api-Token", "Bearer " + token);
    HttpResponse<String> both =
        app.get("/r", "X-Api-Token", token, "Authorization", "Bearer " + token);

    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(withScheme.statusCode()).isEqualTo(200);
    Map<?, ?> headers = (Map<?, ?>) seen(plain).get("headers");
    assertThat(headers.containsKey("x-api-token")).isFalse();
    assertThat(headers.get("authorization").toString()).contains("Bearer " + token);
    assertThat(both.statusCode()).isEqualTo(400);
  }
}
