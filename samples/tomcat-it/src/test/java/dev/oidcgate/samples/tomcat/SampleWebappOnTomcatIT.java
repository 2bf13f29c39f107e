package dev.oidcgate.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sample WAR, unchanged, on a real Apache Tomcat 11 started as a child process, configured only
 * by environment variables; a WireMock IdP and a Jetty echo upstream in this JVM, all on 127.0.0.1.
 */
class SampleWebappOnTomcatIT {

  private static final String CONTEXT = "app";

  private static SampleIdp idp;
  private static EchoUpstream upstream;
  private static TomcatProcess tomcat;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @BeforeAll
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  static void startTomcat() throws Exception {
    idp = new SampleIdp();
    upstream = new EchoUpstream();
    tomcat = TomcatProcess.forSampleWar("catalina-base");
    // The required variables, and settings web.xml does not mention, read through each filter's
    // environmentPrefix: OIDC_ for /oidc-route/*, OIDC_API_ for /api/*. The route lets anonymous
    // requests through (OIDC_UNAUTHENTICATED_ACTION=pass), which must leave /api/* closed.
    // OIDC_REDIRECT_URI and OIDC_SESSION_SECRET stay unset, and the app must start all the same.
    tomcat.start(
        Map.of(
            "OIDC_ROLES_CLAIM",
            "realm_access.roles",
            "OIDC_ROLES_REQUIRED",
            SampleIdp.DEFAULT_ROLE,
            "OIDC_API_ROLES_CLAIM",
            "realm_access.roles",
            "OIDC_API_ROLES_REQUIRED",
            SampleIdp.DEFAULT_ROLE,
            "OIDC_UNAUTHENTICATED_ACTION",
            "pass",
            "OIDC_ISSUER",
            idp.issuer(),
            "OIDC_CLIENT_ID",
            SampleIdp.CLIENT_ID,
            "OIDC_CLIENT_SECRET",
            SampleIdp.CLIENT_SECRET,
            "UPSTREAM_URL",
            upstream.url()));
    // 401 means: deployed, filter initialised, and it answers for /api/*.
    tomcat.awaitStatus("/" + CONTEXT + "/api/get", 401, Duration.ofSeconds(60));
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stopTomcat() throws Exception {
    Teardown.closeAll(tomcat, upstream, idp);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void validTokenIsForwardedWithApiStrippedAndIdentityHeaders() throws Exception {
    String token = idp.accessToken("alice", Duration.ofMinutes(5));

    HttpResponse<String> response =
        send(get("/api/get?x=1").header("Authorization", "Bearer " + token));

    assertThat(response.statusCode()).as(logs(response)).isEqualTo(200);
    Map<String, Object> seen = JSONObjectUtils.parse(response.body());
    assertThat(seen.get("path")).as(logs(response)).isEqualTo("/get");
    assertThat(seen.get("query")).as(logs(response)).isEqualTo("x=1");
    assertThat(header(seen, "authorization")).as(logs(response)).containsExactly("Bearer " + token);
    assertThat(header(seen, "x-authenticated-user")).as(logs(response)).containsExactly("alice");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void rolesClaimAndRuleFromEnvironmentVariablesAloneRefuseATokenWithoutTheRole() throws Exception {
    String withoutRole = idp.accessToken("carol", Duration.ofMinutes(5), List.of("guest"));
    int before = upstream.requests();

    HttpResponse<String> api =
        send(get("/api/get").header("Authorization", "Bearer " + withoutRole));
    HttpResponse<String> route =
        send(get("/oidc-route/get").header("Authorization", "Bearer " + withoutRole));

    assertThat(api.statusCode()).as(logs(api)).isEqualTo(403);
    assertThat(route.statusCode()).as(logs(route)).isEqualTo(403);
    assertThat(upstream.requests()).as(logs(api)).isEqualTo(before);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void noTokenIsRefusedWithBearerChallengeAndNeverForwarded() throws Exception {
    int before = upstream.requests();

    HttpResponse<String> response = send(get("/api/get?x=1"));

    assertThat(response.statusCode()).as(logs(response)).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .as(logs(response))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer realm="));
    assertThat(upstream.requests()).as(logs(response)).isEqualTo(before);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void unauthenticatedActionPassMeantForTheLoginRouteLeavesTheApiClosed() throws Exception {
    int before = upstream.requests();

    HttpResponse<String> api = send(get("/api/get"));
    HttpResponse<String> route = send(get("/oidc-route/get"));

    assertThat(api.statusCode()).as(logs(api)).isEqualTo(401);
    assertThat(route.statusCode()).as("the route took the variable: " + logs(route)).isEqualTo(200);
    assertThat(upstream.requests()).as(logs(api)).isEqualTo(before + 1);
    assertThat(tomcat.logs())
        .contains("OIDC filter 'oidc-api' took rolesRequired, rolesClaim from OIDC_API_*")
        .contains(
            "OIDC filter 'oidc-route' took rolesRequired, rolesClaim, unauthenticatedAction from"
                + " OIDC_*");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void expiredTokenIsRefusedAsInvalidToken() throws Exception {
    String expired = idp.accessToken("alice", Duration.ofMinutes(-10));
    int before = upstream.requests();

    HttpResponse<String> response =
        send(get("/api/get").header("Authorization", "Bearer " + expired));

    assertThat(response.statusCode()).as(logs(response)).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .as(logs(response))
        .hasValueSatisfying(
            challenge ->
                assertThat(challenge)
                    .startsWith("Bearer realm=")
                    .contains("error=\"invalid_token\""));
    assertThat(upstream.requests()).as(logs(response)).isEqualTo(before);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void clientSentIdentityHeaderNeverReachesTheUpstream() throws Exception {
    String token = idp.accessToken("bob", Duration.ofMinutes(5));

    HttpResponse<String> withToken =
        send(
            get("/api/anything")
                .header("Authorization", "Bearer " + token)
                .header("X-Authenticated-User", "admin"));

    assertThat(withToken.statusCode()).as(logs(withToken)).isEqualTo(200);
    Map<String, Object> seen = JSONObjectUtils.parse(withToken.body());
    assertThat(seen.get("path")).as(logs(withToken)).isEqualTo("/anything");
    assertThat(header(seen, "x-authenticated-user")).as(logs(withToken)).containsExactly("bob");

    int before = upstream.requests();
    HttpResponse<String> withoutToken =
        send(get("/api/anything").header("X-Authenticated-User", "admin"));

    assertThat(withoutToken.statusCode()).as(logs(withoutToken)).isEqualTo(401);
    assertThat(upstream.requests()).as(logs(withoutToken)).isEqualTo(before);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void missingUpstreamUrlFailsTheDeploymentAndTheLogNamesIt() throws Exception {
    TomcatProcess misconfigured = TomcatProcess.forSampleWar("catalina-base-misconfigured");
    try {
      misconfigured.start(
          Map.of(
              "OIDC_ISSUER", idp.issuer(),
              "OIDC_CLIENT_ID", SampleIdp.CLIENT_ID,
              "OIDC_CLIENT_SECRET", SampleIdp.CLIENT_SECRET));
      misconfigured.awaitLog("Server startup in", Duration.ofSeconds(45));

      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(misconfigured.url("/" + CONTEXT + "/api/get"))
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(misconfigured::logTail).isEqualTo(404);
      assertThat(misconfigured.logs())
          .as(misconfigured::logTail)
          .contains("targetUri: environment variable UPSTREAM_URL is not set")
          .contains("startup failed");
    } finally {
      misconfigured.stop();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void tomcatsOwnErrorPagesRevealNoStackTraceAndNoVersion() throws Exception {
    String refused = rawGet("/\\evil");
    String unknown = rawGet("/no-such-app/x");

    assertThat(refused).startsWith("HTTP/1.1 400");
    assertThat(unknown).startsWith("HTTP/1.1 404");
    for (String answer : List.of(refused, unknown)) {
      assertThat(answer)
          .doesNotContain("Apache Tomcat/")
          .doesNotContain("Exception")
          .doesNotContain("org.apache.")
          .doesNotContainIgnoringCase("server:");
    }
  }

  /** A request the JDK client would refuse to send, written to the socket as it stands. */
  private static String rawGet(String target) throws IOException {
    URI base = tomcat.url("/");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static HttpRequest.Builder get(String pathInApp) {
    return HttpRequest.newBuilder(tomcat.url("/" + CONTEXT + pathInApp))
        .timeout(Duration.ofSeconds(15))
        .GET();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static List<Object> header(Map<String, Object> seen, String lowerCaseName) {
    Map<String, Object> headers = (Map<String, Object>) seen.get("headers");
    Object values = headers.get(lowerCaseName);
    return values == null ? List.of() : (List<Object>) values;
  }

  /**
   * The assertion description: the response, then the tail of Tomcat's logs (read only on failure).
   */
  private static Supplier<String> logs(HttpResponse<String> response) {
    return () ->
        "response "
            + response.statusCode()
            + " "
            + response.headers().map()
            + " "
            + response.body()
            + "\n"
            + tomcat.logTail();
  }
}
