package dev.oidcgate.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The doctor against an IdP stand-in over real HTTP (the JDK's server on 127.0.0.1): a healthy one
 * passes; a wrong issuer, unreachable keys and a wrong client secret are each named with a fix.
 */
@Timeout(60)
class DoctorTest {

  private static final String CLIENT_ID = "app";
  private static final String SECRET = "right-secret";

  private HttpServer server;
  private String issuer;
  private final Map<String, Object> discovery = new LinkedHashMap<>();
  private JWKSet keys;
  private boolean grantAllowed = true;
  // The client's registered public key for private_key_jwt (RFC 7523), when a test registers one.
  private com.nimbusds.jose.jwk.ECKey clientPublicKey;

  @BeforeEach
  void startStandIn() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    keys = new JWKSet(key.toPublicJWK());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/demo";
    discovery.put("issuer", issuer);
    discovery.put("authorization_endpoint", issuer + "/auth");
    discovery.put("token_endpoint", issuer + "/token");
    discovery.put("jwks_uri", issuer + "/certs");
    discovery.put("end_session_endpoint", issuer + "/logout");
    discovery.put("revocation_endpoint", issuer + "/revoke");
    discovery.put("introspection_endpoint", issuer + "/introspect");
    discovery.put("response_types_supported", List.of("code"));
    discovery.put("subject_types_supported", List.of("public"));
    discovery.put("id_token_signing_alg_values_supported", List.of("RS256"));
    discovery.put("code_challenge_methods_supported", List.of("plain", "S256"));
    discovery.put("response_modes_supported", List.of("query", "fragment", "form_post"));
    discovery.put("backchannel_logout_supported", true);
    discovery.put("backchannel_logout_session_supported", true);
    discovery.put(
        "token_endpoint_auth_methods_supported",
        List.of("client_secret_basic", "client_secret_post"));
    // The JDK's contexts match by prefix; these answer their exact path only, else 404.
    server.createContext(
        "/",
        x -> {
          switch (x.getRequestURI().getPath()) {
            case "/realms/demo/.well-known/openid-configuration" ->
                answer(x, 200, new JSONObject(discovery).toJSONString());
            case "/realms/demo/certs" -> answer(x, 200, keys.toString());
            case "/realms/demo/token" -> token(x);
            case "/realms/demo/introspect" -> introspect(x);
            default -> answer(x, 404, "{}");
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** RFC 7662: active=false for an authenticated client, invalid_client for any other. */
  private void introspect(HttpExchange x) throws IOException {
    if (!basic().equals(x.getRequestHeaders().getFirst("Authorization"))) {
      answer(x, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    answer(x, 200, "{\"active\":false}");
  }

  private static String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Client credentials for app:right-secret; anything else is invalid_client, as RFC 6749 §5.2.
   * With the grant not allowed, Keycloak's answers: unauthorized_client to the right secret and to
   * a wrong one alike.
   */
  private void token(HttpExchange x) throws IOException {
    String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    boolean authenticated =
        basic().equals(x.getRequestHeaders().getFirst("Authorization"))
            || assertedByTheRegisteredKey(form);
    if (!grantAllowed) {
      answer(
          x,
          authenticated ? 400 : 401,
          authenticated
              ? "{\"error\":\"unauthorized_client\",\"error_description\":\"Client not enabled to"
                  + " retrieve service account\"}"
              : "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid client or"
                  + " Invalid client credentials\"}");
      return;
    }
    if (!authenticated) {
      answer(
          x,
          401,
          "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}");
      return;
    }
    answer(x, 200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":300}");
  }

  /** A client assertion signed by the registered key, for this client, with this issuer as aud. */
  private boolean assertedByTheRegisteredKey(String form) {
    if (clientPublicKey == null) {
      return false;
    }
    try {
      Map<String, List<String>> params =
          com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(form);
      com.nimbusds.jwt.SignedJWT jwt =
          com.nimbusds.jwt.SignedJWT.parse(params.get("client_assertion").get(0));
      com.nimbusds.jwt.JWTClaimsSet claims = jwt.getJWTClaimsSet();
      return jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(clientPublicKey))
          && CLIENT_ID.equals(claims.getIssuer())
          && CLIENT_ID.equals(claims.getSubject())
          && claims.getAudience().equals(List.of(issuer))
          && claims.getExpirationTime().after(new java.util.Date());
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aClientKeyIsCheckedWithPrivateKeyJwtAndOnlyThePasswordIsKeptOutOfTheOutput(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    com.nimbusds.jose.jwk.ECKey key =
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
            .keyID("client-1")
            .generate();
    clientPublicKey = key.toPublicJWK();
    java.nio.file.Path file =
        java.nio.file.Files.writeString(dir.resolve("client.jwk"), key.toJSONString());

    Run run = doctor("--issuer", issuer, "--client-id", CLIENT_ID, "--client-key", file.toString());

    assertThat(run.output())
        .contains("PASS  client authentication: client app authenticated with private_key_jwt")
        .contains("OIDC_CLIENT_SIGNING_KEY=" + file + "\n")
        .contains("OIDC_TOKEN_ENDPOINT_AUTH_METHOD=private_key_jwt\n")
        .doesNotContain(key.getD().toString());

    // Another key than the registered one: refused, and named.
    clientPublicKey =
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
            .generate()
            .toPublicJWK();
    Run refused =
        doctor("--issuer", issuer, "--client-id", CLIENT_ID, "--client-key", file.toString());
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.output())
        .contains("FAIL  client authentication: the IdP refused client app");
  }

  private static void answer(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  private record Run(int status, String output) {}

  private static Run doctor(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status =
        Doctor.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), name -> null);
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aHealthyProviderPassesEveryCheckAndGetsItsEnvironment() {
    Run run =
        doctor(
            "--issuer", issuer,
            "--client-id", CLIENT_ID,
            "--client-secret", SECRET,
            "--app-url", "https://app.example.com");

    assertThat(run.status()).as(run.output()).isEqualTo(0);
    assertThat(run.output())
        .doesNotContain("FAIL", "WARN")
        .contains("PASS  discovery: " + issuer + "/.well-known/openid-configuration answered 200")
        .contains("PASS  issuer: the document names " + issuer + ", exactly as configured")
        .contains("PASS  keys: 1 signing key (k1), usable for RS256")
        .contains("PASS  PKCE: S256 supported")
        .contains("PASS  clock: ")
        .contains("PASS  end-session endpoint: " + issuer + "/logout")
        .contains(
            "PASS  back-channel logout: supported, with sid: register"
                + " https://app.example.com/oidc-route/backchannel-logout")
        .contains("PASS  client authentication: client app authenticated with client_secret_basic")
        .contains(
            "INFO  redirect URIs: register redirect_uri"
                + " https://app.example.com/oidc-route/callback and post-logout redirect URI"
                + " https://app.example.com/ for client app")
        .contains("Result: ")
        .contains("OIDC_ISSUER=" + issuer + "\n")
        .contains("OIDC_CLIENT_ID=app\n")
        .contains("OIDC_EXTERNAL_URL=https://app.example.com\n")
        .doesNotContain(SECRET);
  }

  @Test
  void anIssuerThatDiffersByTheTrailingSlashIsNamedWithTheExactSpelling() {
    Run run = doctor("--issuer", issuer + "/");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "FAIL  issuer: the document names "
                + issuer
                + ", which differs from "
                + issuer
                + "/ by the trailing slash")
        .contains("fix: set issuer to exactly " + issuer + " ");
  }

  @Test
  void aDocumentForAnotherHostIsNamedWithTheIdpsPublicUrlAsTheFix() {
    discovery.put("issuer", "https://keycloak.internal:8443/realms/demo");

    Run run = doctor("--issuer", issuer);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "FAIL  issuer: the document names https://keycloak.internal:8443/realms/demo, not "
                + issuer)
        .contains("fix: set issuer to exactly https://keycloak.internal:8443/realms/demo")
        .contains("KC_HOSTNAME");
  }

  @Test
  void aWellKnownUrlInsideTheIssuerIsNamed() {
    Run run = doctor("--issuer", issuer + "/.well-known/openid-configuration/");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.output())
        .contains("FAIL  discovery: ")
        .contains("answered HTTP 404")
        .contains(
            "fix: the IdP answers at "
                + issuer
                + "/.well-known/openid-configuration: set issuer to "
                + issuer
                + " (the issuer, not a .well-known URL inside it)");
  }

  @Test
  void unreachableKeysAreNamedWithTheJwksUri() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    discovery.put("jwks_uri", "http://127.0.0.1:" + closed + "/certs");

    Run run = doctor("--issuer", issuer);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.output())
        .contains("FAIL  keys: jwks_uri http://127.0.0.1:" + closed + "/certs cannot be reached")
        .contains("fix: the app must reach jwks_uri");
  }

  @Test
  void aWrongClientSecretIsNamedWithTheIdpsErrorAndTheFix() {
    Run run =
        doctor("--issuer", issuer, "--client-id", CLIENT_ID, "--client-secret", "wrong-secret");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "FAIL  client authentication: the IdP refused client app: invalid_client (Invalid"
                + " client credentials), HTTP 401")
        .contains("fix: copy the client secret again")
        .doesNotContain("wrong-secret");
  }

  @Test
  void aClientNotAllowedTheGrantIsShownAuthenticatedByIntrospection() {
    grantAllowed = false;

    Run run = doctor("--issuer", issuer, "--client-id", CLIENT_ID, "--client-secret", SECRET);

    assertThat(run.status()).as(run.output()).isEqualTo(0);
    assertThat(run.output())
        .contains(
            "PASS  client authentication: client app authenticated at the introspection endpoint;"
                + " the token endpoint refused it the client credentials grant");
  }

  @Test
  void aWrongSecretThatTheTokenEndpointCallsUnauthorizedClientStillFails() {
    grantAllowed = false;

    Run run = doctor("--issuer", issuer, "--client-id", CLIENT_ID, "--client-secret", "wrong");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "FAIL  client authentication: the IdP refused client app: unauthorized_client (Invalid"
                + " client or Invalid client credentials), HTTP 401; at the introspection endpoint"
                + " too: invalid_client, HTTP 401")
        .contains("fix: copy the client secret again");
  }

  @Test
  void withoutPkceS256TheFailureSaysTheFilterSendsIt() {
    discovery.put("code_challenge_methods_supported", List.of("plain"));

    Run run = doctor("--issuer", issuer);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.output())
        .contains("FAIL  PKCE: S256 is not among [plain]")
        .contains("fix: the filter always sends S256");
  }

  @Test
  void theWebXmlFormatPrintsAFilterBlockWithTheSecretFromTheEnvironment() {
    Run run =
        doctor(
            "--issuer", issuer,
            "--client-id", CLIENT_ID,
            "--client-secret", SECRET,
            "--format", "web.xml",
            "--url-pattern", "/app/*");

    assertThat(run.output())
        .contains("<filter-class>dev.oidcgate.oidc.OidcFilter</filter-class>")
        .contains("<param-name>issuer</param-name><param-value>" + issuer + "</param-value>")
        .contains(
            "<param-name>clientSecret</param-name><param-value>${env:OIDC_CLIENT_SECRET}</param-value>")
        .contains("<url-pattern>/app/*</url-pattern>")
        .doesNotContain(SECRET);
  }

  @Test
  void helpListsTheOptionsAndAMissingIssuerIsAUsageError() {
    Run help = doctor("--help");
    assertThat(help.status()).isEqualTo(0);
    assertThat(help.output()).contains("Usage: java -jar oidc-gate-doctor.jar --issuer URL");

    Run none = doctor("--client-id", "x");
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.output()).isEqualTo("oidc-gate-doctor: --issuer is required (see --help)\n");
  }
}
