package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code pushedAuthorizationRequests=always} against a provider whose metadata names no PAR
 * endpoint (this stand-in OP, over HTTP): start-up stops naming the key; {@code auto} and {@code
 * never} start.
 */
@Timeout(30)
@ExtendWith(TestAuthServerExtension.class)
class PushedAuthorizationStartUpTest {

  private TestAuthServer op;

  private OidcConfig config(String par) {
    Map<String, String> p = op.filterParams();
    p.put("pushedAuthorizationRequests", par);
    return OidcConfig.fromInitParams(p);
  }

  @Test
  void parAlwaysAgainstAProviderWithoutAParEndpointStopsStartUpNamingTheKey() {
    OidcConfig config = config("always");
    assertThatThrownBy(() -> OidcGate.start(config))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage(
            "pushedAuthorizationRequests: is always, but the identity provider's metadata names"
                + " no pushed_authorization_request_endpoint");
  }

  @Test
  void parAutoAndNeverStartThere() {
    for (String par : new String[] {"auto", "never"}) {
      try (OidcGate gate = OidcGate.start(config(par))) {
        assertThat(gate.login()).isPresent();
      }
    }
  }
}
