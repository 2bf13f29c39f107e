package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.testsupport.MemoryCookies;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The redirect URI's parameters on hostile input: {@link LoginFlow#finish} (state lookup in the
 * browser's login cookie, RFC 9207 {@code iss}, {@code error}, {@code code}, then the code exchange
 * at a token endpoint that refuses every code) for arbitrary parameters, in a browser that has just
 * started a real login. Property: every answer is an {@link OidcErrorException} with a 4xx or a
 * 502/503, never an unchecked exception, never a session, and the login's state is spent only by a
 * response that names it.
 *
 * <p>Input: a flag byte (bit 0: send the real {@code state}, bit 1: the real {@code iss}, each
 * overriding the fuzzed one), then NUL-separated {@code name=value} pairs. docs/fuzzing.md.
 */
class CallbackFuzzTest {

  static final int MODES = 4;
  static final URI REDIRECT_URI = URI.create("https://app.example/app/callback");

  @FuzzTest
  void arbitraryCallbackParametersAreRefusedCleanly(byte[] input) throws Exception {
    LoginFlow flow = FuzzProvider.get().gate.login().orElseThrow();
    FuzzInput in = FuzzInput.of(input, MODES);
    MemoryCookies browser = new MemoryCookies();
    URI authorize = flow.begin("/app/after", REDIRECT_URI, "/app/", browser);
    String state = query(authorize, "state");
    Map<String, String> params = new java.util.LinkedHashMap<>(in.pairs());
    if ((in.mode() & 1) != 0) {
      params.put("state", state);
    }
    if ((in.mode() & 2) != 0) {
      params.put("iss", FuzzProvider.ISSUER);
    }
    try {
      LoginFlow.Result result = flow.finish(params, Optional.empty(), browser);
      fail("a login finished without tokens: %s", result);
    } catch (OidcErrorException e) {
      assertThat(e.error().status()).isIn(400, 401, 403, 502, 503);
      String description = e.error().description();
      assertThat(description).isNotBlank().doesNotContain("\r", "\n");
    }
  }

  static String query(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(
            pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    throw new IllegalStateException("no " + name + " in " + uri);
  }
}
