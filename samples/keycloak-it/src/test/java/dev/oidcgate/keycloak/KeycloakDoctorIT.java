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

  /**
   * A client like the realm's oidc-gate that may also use the client credentials grant: Keycloak
   * sends no Date header, so the doctor reads its clock from such a token's iat.
   */
  static final String CLIENT_ID = "oidc-gate-doctor";

  static final String CLIENT_SECRET = "oidc-gate-doctor-keycloak-it-secret";

  @BeforeAll
  @Timeout(300)
  static void keycloakWithAClientAllowedClientCredentials() throws Exception {
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    HttpResponse<String> created =
        new RealmAdmin(keycloak)
            .call(
                "POST",
                "/clients",
                "{\"clientId\":\""
                    + CLIENT_ID
                    + "\",\"enabled\":true,\"protocol\":\"openid-connect\",\"publicClient\":false,"
                    + "\"clientAuthenticatorType\":\"client-secret\",\"secret\":\""
                    + CLIENT_SECRET
                    + "\",\"standardFlowEnabled\":true,\"serviceAccountsEnabled\":true,"
                    + "\"redirectUris\":[\"http://127.0.0.1:*\"],"
                    + "\"attributes\":{\"pkce.code.challenge.method\":\"S256\","
                    + "\"post.logout.redirect.uris\":\"+\"},"
                    + "\"protocolMappers\":[{\"name\":\"audience\",\"protocol\":\"openid-connect\","
                    + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{"
                    + "\"included.client.audience\":\""
                    + CLIENT_ID
                    + "\",\"id.token.claim\":\"false\",\"access.token.claim\":\"true\","
                    + "\"introspection.token.claim\":\"true\"}}]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
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
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
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
                    "  PASS  client authentication: client oidc-gate-doctor authenticated with"
                        + " client_secret_basic (the client credentials grant gave a token)"))
        .anyMatch(l -> l.startsWith("  PASS  clock: ") && l.contains("(from the iat of"));

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
        .containsEntry("clientId", CLIENT_ID)
        .containsEntry("clientSecret", CLIENT_SECRET)
        .containsEntry("provider", "keycloak");
    app = new FilterServer(params);

    HttpResponse<String> page = signIn(new Browser(keycloak.issuer()), app, "/resource", "alice");

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Map<String, Object> seen = FilterServer.seen(page);
    Map<?, ?> claims = (Map<?, ?>) seen.get("claims");
    assertThat(claims.get("preferred_username")).isEqualTo("alice");
    assertThat(seen.get("remoteUser")).isEqualTo(claims.get("sub"));
  }

  @Test
  @Timeout(120)
  void aWrongClientSecretIsNamedWithKeycloaksErrorsAndTheFix() {
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
        // Keycloak calls a wrong secret unauthorized_client at the token endpoint, as it does a
        // grant not allowed; introspection tells them apart.
        .contains(
            "  FAIL  client authentication: the IdP refused client oidc-gate: unauthorized_client"
                + " (Invalid client or Invalid client credentials), HTTP 401; at the introspection"
                + " endpoint too: ")
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
