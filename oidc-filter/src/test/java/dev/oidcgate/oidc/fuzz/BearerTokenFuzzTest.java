package dev.oidcgate.oidc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.web.BearerTokenResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;

/**
 * The bearer-token path on hostile input: {@link BearerTokenResolver} on an arbitrary {@code
 * Authorization} header, then the gate's validation (the production assembly: size, syntax, cache,
 * Nimbus parsing, our signature and claim checks) on what it finds, on arbitrary strings and on
 * edits of tokens validly signed with a local RSA and EC key. Property: every refusal is an {@link
 * OidcErrorException} with a 400 or 401 that does not quote the token, never an unchecked
 * exception; a token is accepted only if it is, character for character, the one that was signed.
 *
 * <p>Input: mode byte 0 = the rest is the header value, 1 = the rest is the token, 2/3 = the rest
 * edits a valid RS256/ES256 token ({@link FuzzInput#mutate}). docs/fuzzing.md.
 */
class BearerTokenFuzzTest {

  static final int MODES = 4;

  @FuzzTest
  void onlyAnUntouchedSignedTokenIsAccepted(byte[] input) throws Exception {
    FuzzProvider idp = FuzzProvider.get();
    FuzzInput in = FuzzInput.of(input, MODES);
    String valid =
        switch (in.mode()) {
          case 2 -> idp.rsaAccessToken;
          case 3 -> idp.ecAccessToken;
          default -> null;
        };
    String header =
        switch (in.mode()) {
          case 0 -> in.text();
          case 1 -> "Bearer " + in.text();
          default -> "Bearer " + in.mutate(valid);
        };
    String token;
    try {
      token = new BearerTokenResolver().resolve(request(header));
    } catch (OidcErrorException e) {
      assertThat(e.error().status()).isIn(400, 401);
      return;
    }
    if (token == null) {
      return; // another scheme: the filter answers as if no credential were sent
    }
    try {
      Caller caller = idp.gate.authenticateBearer(token);
      if (valid == null || !token.equals(valid)) {
        fail("accepted a token that was not signed as it is: %s", token);
      }
      assertThat(caller.principal().getName()).isEqualTo("alice");
    } catch (OidcErrorException e) {
      assertThat(e.error().status()).isIn(400, 401);
      assertThat(token.equals(valid)).as("the untouched token is refused: " + e).isFalse();
      if (token.length() >= 8) {
        assertThat(e.getMessage()).doesNotContain(token);
      }
    }
  }

  /** A request that carries {@code Authorization: value} and nothing else the resolver reads. */
  static HttpServletRequest request(String authorization) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            BearerTokenFuzzTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getHeaders")
                  && "authorization".equalsIgnoreCase((String) args[0])) {
                return Collections.enumeration(List.of(authorization));
              }
              if (method.getName().equals("getHeader")
                  && "authorization".equalsIgnoreCase((String) args[0])) {
                return authorization;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
