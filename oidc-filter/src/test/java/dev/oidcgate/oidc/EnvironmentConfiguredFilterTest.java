package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A filter configured by nothing but {@code environmentPrefix} and environment variables, in a real
 * Jetty, against an IdP stand-in over HTTP.
 */
@Timeout(60)
class EnvironmentConfiguredFilterTest {

  private TestIdp idp;
  private FilterServer app;

  @BeforeEach
  void startIdp() {
    idp = new TestIdp().serveAll();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    idp.close();
  }

  private Map<String, String> environment() {
    return Map.of(
        "OIDC_ISSUER",
        idp.issuer(),
        "OIDC_CLIENT_ID",
        TestIdp.CLIENT_ID,
        "OIDC_CLIENT_SECRET",
        TestIdp.CLIENT_SECRET,
        "OIDC_GROUPS_CLAIM",
        "cognito:groups",
        "OIDC_GROUPS_REQUIRED",
        "admins");
  }

  @Test
  void groupsClaimAndRuleFromTheEnvironmentDecideAccess() throws Exception {
    Map<String, String> env = environment();
    app =
        FilterServer.withFilter(
            new OidcFilter(
                OidcConfig.builder()
                    .set("environmentPrefix", "OIDC_")
                    .environment(env::get)
                    .build()));

    HttpResponse<String> admin =
        app.get(
            "/resource?role=admins",
            "Authorization",
            "Bearer " + idp.rs256(c -> c.claim("cognito:groups", List.of("admins"))));
    HttpResponse<String> user =
        app.get(
            "/resource?role=admins",
            "Authorization",
            "Bearer " + idp.rs256(c -> c.claim("cognito:groups", List.of("users"))));

    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(seen(admin).get("inRole")).isEqualTo(true);
    assertThat(user.statusCode()).isEqualTo(403);
  }

  @Test
  void aSettingGivenInCodeWinsOverItsVariable() throws Exception {
    Map<String, String> env = environment();
    app =
        FilterServer.withFilter(
            new OidcFilter(
                OidcConfig.builder()
                    .set("environmentPrefix", "OIDC_")
                    .set("groupsRequired", "users")
                    .environment(env::get)
                    .build()));

    HttpResponse<String> user =
        app.getWithToken(idp.rs256(c -> c.claim("cognito:groups", List.of("users"))));

    assertThat(user.statusCode()).isEqualTo(200);
  }
}
