package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pure resource server names its {@code audience} and has no {@code clientId} (configuration.md:
 * "Required unless audience is set"): it starts, and checks JWTs against that audience.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class ResourceServerWithoutClientIdTest {

  private TestIdp idp;
  private FilterServers apps;

  private Map<String, String> bearerOnly() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("credentials", "bearer");
    p.put("audience", "urn:api");
    return p;
  }

  @Test
  void aBearerOnlyFilterWithAnAudienceAndNoClientIdAcceptsTokensForThatAudienceOnly()
      throws Exception {
    FilterServer app = apps.start(bearerOnly());

    HttpResponse<String> mine = app.getWithToken(idp.rs256(c -> c.audience("urn:api")));
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(seen(mine).get("principal")).isEqualTo("alice");

    HttpResponse<String> other = app.getWithToken(idp.rs256(c -> c.audience("urn:other")));
    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(other.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("invalid_token");
  }

  @Test
  void withoutAClientIdAnOpaqueTokenGets401AndTheProviderIsNotAsked() throws Exception {
    idp.serveIntrospection("{\"active\":true,\"sub\":\"bob\",\"aud\":\"urn:api\"}");
    FilterServer app = apps.start(bearerOnly());

    HttpResponse<String> r = app.getWithToken("opaque-token-value");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(idp.introspectionRequests()).isZero();
  }

  @Test
  void whatNeedsAClientIdIsRefusedAtStartUpNamingClientId() {
    Map<String, String> login = bearerOnly();
    login.put("credentials", "session,bearer");
    login.put("unauthenticatedAction", "redirect");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(login))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage("clientId: is required for login");

    Map<String, String> introspection = bearerOnly();
    introspection.put("clientSecret", "s");
    introspection.put("introspectionEndpoint", idp.url("/realms/test/introspect"));
    assertThatThrownBy(() -> OidcConfig.fromInitParams(introspection))
        .isInstanceOf(OidcConfigException.class)
        .hasMessage("clientId: is required when introspectionEndpoint is set");

    Map<String, String> overage = bearerOnly();
    overage.put("clientSecret", "s");
    overage.put("groupsOverage", "graph");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(overage))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("groupsOverage: graph needs clientId");
  }
}
