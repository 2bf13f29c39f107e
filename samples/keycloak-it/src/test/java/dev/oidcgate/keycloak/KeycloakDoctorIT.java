package dev.oidcgate.keycloak;

import static dev.oidcgate.keycloak.KeycloakSignIn.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.doctor.Doctor;
import dev.oidcgate.oidc.testsupport.FilterServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * oidc-gate-doctor against the real Keycloak (the shared one of this module): every check passes,
 * it names Keycloak's profile, and the OIDC_* settings it prints, read as the filter reads its
 * environment (OIDC_CLIENT_ID is clientId), sign a user in; a wrong secret is named with its fix.
 */
class KeycloakDoctorIT {

  private static KeycloakServer keycloak;
  private FilterServer app;

  @BeforeAll
  @Timeout(300)
  static void keycloak() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
  }

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  private static String doctor(int expectedStatus, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status =
        Doctor.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), name -> null);
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(status).as(output).isEqualTo(expectedStatus);
    return output;
  }

  @Test
  @Timeout(120)
  void theDoctorPassesKeycloakAndTheSettingsItPrintsSignIn() throws Exception {
    String output =
        doctor(
            0,
            "--issuer",
            keycloak.issuer(),
            "--client-id",
            KeycloakInteropIT.CLIENT_ID,
            "--client-secret",
            KeycloakInteropIT.CLIENT_SECRET,
            "--url-pattern",
            "/*",
            "--context-path",
            "/app",
            "--show-secret");

    List<String> checks = output.lines().filter(l -> l.matches("  [A-Z]{4}  .*")).toList();
    assertThat(checks)
        .as(output)
        .allMatch(l -> l.startsWith("  PASS  ") || l.startsWith("  INFO  "))
        .contains("  PASS  PKCE: S256 supported")
        .contains("  INFO  provider profile: keycloak (from the discovery document)")
        .anyMatch(l -> l.startsWith("  PASS  keys: ") && l.contains("usable for RS256"))
        .anyMatch(l -> l.startsWith("  PASS  back-channel logout: supported, with sid"))
        .anyMatch(
            l ->
                l.startsWith(
                    "  PASS  client authentication: client oidc-gate authenticated with"
                        + " client_secret_basic"));

    // The printed OIDC_* variables, named as the filter's environmentPrefix reads them.
    Map<String, String> params = new LinkedHashMap<>();
    output
        .lines()
        .filter(l -> l.startsWith("OIDC_"))
        .forEach(
            l ->
                params.put(
                    key(l.substring("OIDC_".length(), l.indexOf('='))),
                    l.substring(l.indexOf('=') + 1)));
    assertThat(params)
        .containsEntry("issuer", keycloak.issuer())
        .containsEntry("clientId", KeycloakInteropIT.CLIENT_ID)
        .containsEntry("clientSecret", KeycloakInteropIT.CLIENT_SECRET)
        .containsEntry("provider", "keycloak");
    app = new FilterServer(params);

    HttpResponse<String> page = signIn(new Browser(keycloak.issuer()), app, "/resource", "alice");

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(FilterServer.seen(page)).containsEntry("remoteUser", "alice");
  }

  @Test
  @Timeout(120)
  void aWrongClientSecretIsNamedByKeycloaksErrorWithTheFix() {
    String output =
        doctor(
            1,
            "--issuer",
            keycloak.issuer(),
            "--client-id",
            KeycloakInteropIT.CLIENT_ID,
            "--client-secret",
            "not-the-secret");

    assertThat(output)
        .contains("  FAIL  client authentication: the IdP refused client oidc-gate: invalid_client")
        .contains("HTTP 401")
        .contains("fix: copy the client secret again from the IdP's console");
  }

  /** CLIENT_ID -> clientId: the environment name of a key, read back. */
  private static String key(String upperSnake) {
    StringBuilder b = new StringBuilder();
    for (String part : upperSnake.toLowerCase(Locale.ROOT).split("_")) {
      b.append(b.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return b.toString();
  }
}
