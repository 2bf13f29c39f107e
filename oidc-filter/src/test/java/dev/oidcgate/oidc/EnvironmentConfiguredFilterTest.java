package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A filter configured by nothing but {@code environmentPrefix} and environment variables, in a real
 * Jetty, against an IdP stand-in over HTTP.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class EnvironmentConfiguredFilterTest {

  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;

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
        apps.withFilter(
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
        apps.withFilter(
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
