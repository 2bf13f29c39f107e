package dev.oidcgate.keycloak;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import dev.oidcgate.samples.tomcat.Chromium;
import dev.oidcgate.testserver.ChildProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * samples/spring-boot-app: a Spring Boot app on its embedded Tomcat with
 * oidc-gate-spring-boot-starter and its application.yml, run as the executable jar ({@code java
 * -jar}) on Spring Boot 3.5 and on 4.0, against this module's real Keycloak. A person in headless
 * Chromium signs in on Keycloak's form and is greeted by name, opens {@code /oidc-route/get}, which
 * the starter's proxy route forwards to an echo upstream with the access token; a bearer token
 * Keycloak issued for another client (audience {@code account}) is refused with the filter's 401.
 * The issuer comes from the environment variable {@code OIDC_GATE_ISSUER} (relaxed binding),
 * overriding the yml.
 */
class SpringBootStarterIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static KeycloakServer keycloak;
  private static HttpServer upstream;
  private static final AtomicInteger upstreamRequests = new AtomicInteger();
  private static Chromium chromium;
  private static WebDriver browser;

  @BeforeAll
  @Timeout(value = 360, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    Chromium.assumeInstalled();

    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    upstream = echoUpstream();

    chromium = Chromium.start();
    browser = chromium.driver();
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  @ParameterizedTest(name = "Spring Boot {0}")
  @ValueSource(strings = {"3.5", "4.0"})
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aliceSignsInIsGreetedUsesTheProxyRouteAndAForeignAudienceTokenIsRefused(String boot)
      throws Exception {
    try (BootApp app = BootApp.start(boot, keycloak.issuer(), upstreamUrl())) {
      // A fresh browser: no cookie of the app nor of Keycloak (whose SSO cookie would sign alice in
      // without the form). deleteAllCookies() would only reach the current page's path.
      chromium.driver().executeCdpCommand("Network.clearBrowserCookies", Map.of());
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

      // A person opens the app and is sent to Keycloak's login form.
      browser.get(app.url("/"));
      assertThat(chromium.awaitKeycloakLogin())
          .as(app::logTail)
          .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
      chromium.signInAtKeycloak("alice", KeycloakInteropIT.PASSWORDS.get("alice"));

      // Back in the app, greeted by name (principal-claim: preferred_username in application.yml).
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("user")));
      assertThat(browser.getCurrentUrl()).isEqualTo(app.url("/"));
      assertThat(browser.findElement(By.id("user")).getText())
          .as(app::logTail)
          .isEqualTo("Signed in as alice");

      // The route of application.yml: the proxy servlet forwards to the upstream with the token.
      int before = upstreamRequests.get();
      browser.get(app.url("/oidc-route/get?x=1"));
      String echo = browser.findElement(By.tagName("body")).getText();
      assertThat(echo)
          .as("the upstream's echo, not the app's own page: %s", app.logTail())
          .startsWith("{");
      Map<String, Object> seen = JSONObjectUtils.parse(echo);
      assertThat(seen.get("path")).as(echo).isEqualTo("/get");
      assertThat(seen.get("query")).isEqualTo("x=1");
      assertThat(headers(seen).get("authorization")).startsWith("Bearer ey");
      assertThat(upstreamRequests.get()).isEqualTo(before + 1);

      // A valid Keycloak token, but issued to another client: aud is "account", not oidc-gate.
      String foreign = passwordGrant("no-audience-mapper", "no-audience-mapper-client-secret");
      HttpResponse<String> refused =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(app.url("/oidc-route/get")))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + foreign)
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer").contains("invalid_token"));
      assertThat(refused.body()).doesNotContain(foreign);
      assertThat(upstreamRequests.get()).as("nothing forwarded").isEqualTo(before + 1);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> headers(Map<String, Object> seen) {
    return (Map<String, String>) seen.get("headers");
  }

  private static String passwordGrant(String clientId, String secret) throws Exception {
    String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(UTF_8));
    HttpResponse<String> token =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&scope=openid&username=alice&password="
                            + URLEncoder.encode(KeycloakInteropIT.PASSWORDS.get("alice"), UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    return (String) JSONObjectUtils.parse(token.body()).get("access_token");
  }

  private static String upstreamUrl() {
    return "http://127.0.0.1:" + upstream.getAddress().getPort();
  }

  /** Answers every request with what it saw, as JSON: method, path, query, headers. */
  private static HttpServer echoUpstream() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          upstreamRequests.incrementAndGet();
          Map<String, Object> seen = new LinkedHashMap<>();
          seen.put("method", exchange.getRequestMethod());
          seen.put("path", exchange.getRequestURI().getRawPath());
          seen.put("query", exchange.getRequestURI().getRawQuery());
          Map<String, Object> headers = new LinkedHashMap<>();
          exchange
              .getRequestHeaders()
              .forEach(
                  (name, values) -> headers.put(name.toLowerCase(), String.join(", ", values)));
          seen.put("headers", headers);
          byte[] body = JSONObjectUtils.toJSONString(seen).getBytes(UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  /** The sample app's executable jar for one Spring Boot version, as a process. */
  private static final class BootApp implements AutoCloseable {
    private final ChildProcess process;
    private final int port;

    private BootApp(ChildProcess process, int port) {
      this.process = process;
      this.port = port;
    }

    static BootApp start(String boot, String issuer, String upstreamUrl) throws Exception {
      Path jar = Path.of(required("spring-boot-app.jar." + boot));
      int port = ChildProcess.freeLoopbackPort();
      Path log = Path.of(required("spring-boot-app.logs")).resolve("boot-" + boot + ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-jar");
      command.add(jar.toString());
      command.add("--server.address=127.0.0.1");
      command.add("--server.port=" + port);
      command.add("--oidc-gate.routes.oidc-route.target-uri=" + upstreamUrl);
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("OIDC_GATE_ISSUER", issuer);
      pb.environment().put("CLIENT_SECRET", KeycloakInteropIT.CLIENT_SECRET);
      pb.environment().put("SESSION_SECRET", "spring-boot-it-session-secret-0123456789abcdef");
      BootApp app = new BootApp(new ChildProcess("the app", log, Duration.ofSeconds(20)), port);
      try {
        app.process.start(pb);
        // Up once / sends a browser to Keycloak (the filter has read the discovery).
        app.process.awaitReady(
            Duration.ofSeconds(90),
            Duration.ofMillis(300),
            "send / to the login (302)",
            app::redirectsToLogin);
      } catch (Exception | Error e) {
        app.close();
        throw e;
      }
      return app;
    }

    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }

    private boolean redirectsToLogin() throws InterruptedException {
      try {
        return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url("/")))
                        .timeout(Duration.ofSeconds(5))
                        .header("Accept", "text/html")
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 302;
      } catch (IOException notYet) {
        return false; // not listening yet
      }
    }

    String logTail() {
      return process.tail();
    }

    @Override
    public void close() {
      process.close();
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + property + " is not set; run through Maven (mvn verify)");
    }
    return value;
  }
}
