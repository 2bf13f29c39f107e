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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sample WAR on a real Tomcat 11 with a public path set through the environment ({@code
 * OIDC_PUBLIC_PATHS}): the public path reaches the upstream without a login, a CORS preflight is
 * answered by the filter from {@code OIDC_CORS_ORIGINS} and never reaches the upstream, other paths
 * still demand a login, and a script gets the JSON 401 with the login URL.
 */
class PathPolicyOnTomcatIT {

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
    tomcat = TomcatProcess.forSampleWar("catalina-base-policy");
    tomcat.start(
        Map.of(
            "OIDC_ISSUER",
            idp.issuer(),
            "OIDC_CLIENT_ID",
            SampleIdp.CLIENT_ID,
            "OIDC_CLIENT_SECRET",
            SampleIdp.CLIENT_SECRET,
            "UPSTREAM_URL",
            upstream.url(),
            "OIDC_PUBLIC_PATHS",
            "/oidc-route/anything/pub*",
            "OIDC_CORS_ORIGINS",
            "https://spa.example.com"));
    tomcat.awaitStatus("/app/api/get", 401, Duration.ofSeconds(60));
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stopTomcat() throws Exception {
    Teardown.closeAll(tomcat, upstream, idp);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aPublicPathReachesTheUpstreamWithoutALoginWhileItsNeighbourDemandsOne() throws Exception {
    HttpResponse<String> open = send(page("/app/oidc-route/anything/pub/page?x=1"));
    assertThat(open.statusCode()).as(tomcat.logTail()).isEqualTo(200);
    Map<String, Object> seen = JSONObjectUtils.parse(open.body());
    assertThat(seen.get("path")).isEqualTo("/anything/pub/page");
    assertThat(((Map<?, ?>) seen.get("headers")).get("x-authenticated-user")).isNull();

    HttpResponse<String> closed = send(page("/app/oidc-route/anything/private"));
    assertThat(closed.statusCode()).as(tomcat.logTail()).isEqualTo(302);
    assertThat(closed.headers().firstValue("Location").orElse("")).startsWith(idp.issuer());
  }

  /**
   * Dotted, encoded and {@code ;} spellings under the public path, each with the one status a
   * browser gets and who gives it. Tomcat decodes and normalises the path first: what it does not
   * refuse itself becomes {@code .../pub/page} (public by the pattern), and the filter, seeing the
   * raw spelling, demands a login (302 to the IdP) instead. The upstream is never reached.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aDottedOrEncodedSpellingOfThePublicPathIsNeverPublic() throws Exception {
    String pub = "/app/oidc-route/anything/";
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put(pub + "pub;x/page", 302); // filter: Tomcat drops ";x", the filter sees ";"
    expected.put(pub + "pub/%2e/page", 302); // filter: %2e
    expected.put(pub + "x/%2e%2e/pub/page", 302); // filter: %2e
    expected.put(pub + "pub%2fpage", 400); // Tomcat: an encoded "/" (encodedSolidusHandling)
    expected.put(pub + "pub/%2561", 302); // filter: %25
    expected.put(pub + "x/../pub/page", 302); // filter: "/../"
    expected.put(pub + "pub/./page", 302); // filter: "/./"
    expected.put(pub + "pub/..;/private", 302); // filter: normalised to .../private, not public
    int before = upstream.requests();

    Map<String, Integer> actual = new LinkedHashMap<>();
    Map<String, String> logins = new LinkedHashMap<>();
    for (String path : expected.keySet()) {
      HttpResponse<String> r = send(page(path));
      actual.put(path, r.statusCode());
      if (r.statusCode() == 302) {
        logins.put(path, r.headers().firstValue("Location").orElse(""));
      }
    }

    assertThat(actual).as(tomcat.logTail()).containsExactlyEntriesOf(expected);
    assertThat(logins.values()).allSatisfy(l -> assertThat(l).startsWith(idp.issuer()));
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aCorsPreflightIsAnsweredByTheFilterAndNeverReachesTheUpstream() throws Exception {
    int before = upstream.requests();
    // As a browser sends it: no body, so no Content-Length either (the JDK client would add one).
    String allowed = raw(preflight("https://spa.example.com"));
    assertThat(allowed).as(tomcat.logTail()).startsWith("HTTP/1.1 204");
    assertThat(allowed.toLowerCase(java.util.Locale.ROOT))
        .contains("access-control-allow-origin: https://spa.example.com\r\n")
        .contains("access-control-allow-methods: post\r\n")
        .contains("access-control-allow-headers: content-type\r\n")
        .contains("access-control-allow-credentials: true\r\n");

    String other = raw(preflight("https://evil.example"));
    assertThat(other).as(tomcat.logTail()).startsWith("HTTP/1.1 403");
    assertThat(other.toLowerCase(java.util.Locale.ROOT)).doesNotContain("access-control-allow");
    assertThat(upstream.requests()).isEqualTo(before);
  }

  private static String preflight(String origin) {
    return "OPTIONS /app/oidc-route/anything/data HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Origin: "
        + origin
        + "\r\nAccess-Control-Request-Method: POST\r\n"
        + "Access-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n";
  }

  /** A request written to the socket as it stands; the whole answer. */
  private static String raw(String request) throws IOException {
    URI base = tomcat.url("/");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aScriptGetsJson401WithTheLoginUrlReadableByTheConfiguredOrigin() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(tomcat.url("/app/oidc-route/get"))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .header("Sec-Fetch-Mode", "cors")
                .header("Origin", "https://spa.example.com"));
    assertThat(r.statusCode()).as(tomcat.logTail()).isEqualTo(401);
    assertThat(JSONObjectUtils.parse(r.body()).get("login_url"))
        .isEqualTo(tomcat.url("/app/oidc-route/login").toString());
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://spa.example.com");

    HttpResponse<String> info =
        send(
            HttpRequest.newBuilder(tomcat.url("/app/oidc-route/session"))
                .timeout(Duration.ofSeconds(10)));
    assertThat(info.statusCode()).as(tomcat.logTail()).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(info.body())).containsEntry("authenticated", false);
  }

  private static HttpRequest.Builder page(String path) {
    return HttpRequest.newBuilder(tomcat.url(path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "text/html");
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
