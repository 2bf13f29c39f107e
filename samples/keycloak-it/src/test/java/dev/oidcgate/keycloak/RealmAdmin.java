package dev.oidcgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Keycloak's admin REST API for the test realm, as its {@code it-admin} service account (the realm
 * JSON gives it {@code view-}/{@code manage-clients} and {@code -users}): what an administrator
 * would click in the admin console, for settings that need the app's port or must not leak into the
 * other tests.
 */
final class RealmAdmin {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final KeycloakServer keycloak;

  RealmAdmin(KeycloakServer keycloak) {
    this.keycloak = keycloak;
  }

  /** The client's representation, by its client id. */
  Map<String, Object> client(String clientId) throws Exception {
    HttpResponse<String> found = call("GET", "/clients?clientId=" + clientId, null);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    List<Object> clients = JSONArrayUtils.parse(found.body());
    assertThat(clients).hasSize(1);
    return map(clients.get(0));
  }

  /** Sets one attribute of the client, as its settings page does. */
  void setClientAttribute(String clientId, String name, String value) throws Exception {
    Map<String, Object> client = client(clientId);
    map(client.get("attributes")).put(name, value);
    HttpResponse<String> saved =
        call("PUT", "/clients/" + client.get("id"), JSONObjectUtils.toJSONString(client));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(204);
  }

  /** Sessions → Sign out: ends one Keycloak user session. */
  void endSession(String sid) throws Exception {
    HttpResponse<String> ended = call("DELETE", "/sessions/" + sid, null);
    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(204);
  }

  /**
   * A call to {@code /admin/realms/<realm><path>}.
   *
   * @param json the body, or null for none
   */
  HttpResponse<String> call(String method, String path, String json) throws Exception {
    URI url =
        URI.create(keycloak.issuer()).resolve("/admin/realms/" + KeycloakInteropIT.REALM + path);
    return HTTP.send(
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + token())
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String token() throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString("it-admin:it-admin-client-secret".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSONObjectUtils.parse(r.body()).get("access_token").toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
