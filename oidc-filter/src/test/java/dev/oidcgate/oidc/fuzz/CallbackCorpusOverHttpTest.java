package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CallbackFuzzTest}'s corpus through the real stack: for each input a browser starts a real
 * login at the filter in Jetty (so it holds a login cookie and a real {@code state}), then arrives
 * at the redirect URI with the input's parameters. Every answer is a 3xx or 4xx, never a 5xx, never
 * echoes the {@code code}, and no input signs the browser in.
 */
@Timeout(120)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class CallbackCorpusOverHttpTest {

  private FilterServers apps;

  @Test
  void noCorpusInputSignsInOrCausesA5xx(TestAuthServer op) throws Exception {
    FilterServer app = apps.start(op.filterParams());
    for (byte[] bytes :
        FuzzInput.corpus(CallbackFuzzTest.class, "arbitraryCallbackParametersAreRefusedCleanly")) {
      FuzzInput in = FuzzInput.of(bytes, CallbackFuzzTest.MODES);
      TestBrowser browser = new TestBrowser();
      HttpResponse<String> start = browser.get(app.uri("/resource"));
      assertThat(start.statusCode()).isEqualTo(302);
      String state = CallbackFuzzTest.query(TestBrowser.location(start), "state");
      Map<String, String> params = new LinkedHashMap<>(in.pairs());
      if ((in.mode() & 1) != 0) {
        params.put("state", state);
      }
      if ((in.mode() & 2) != 0) {
        params.put("iss", op.issuer());
      }
      StringBuilder query = new StringBuilder();
      params.forEach(
          (k, v) ->
              query
                  .append(query.length() == 0 ? "" : "&")
                  .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                  .append('=')
                  .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
      HttpResponse<String> r = browser.get(URI.create(app.uri("/callback") + "?" + query));
      assertThat(r.statusCode()).as("answer to %s", params).isBetween(300, 499);
      String code = params.getOrDefault("code", "");
      if (code.length() >= 8) {
        assertThat(r.body()).doesNotContain(code);
        assertThat(r.headers().map().toString()).doesNotContain(code);
      }
      assertThat(browser.get(app.uri("/resource")).statusCode())
          .as("signed in by %s", params)
          .isEqualTo(302);
    }
  }
}
