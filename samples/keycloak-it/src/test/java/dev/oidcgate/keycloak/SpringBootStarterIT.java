package dev.oidcgate.keycloak;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static KeycloakServer keycloak;
  private static HttpServer upstream;
  private static final AtomicInteger upstreamRequests = new AtomicInteger();
  private static WebDriver browser;
  private static Path profile;

  @BeforeAll
  @Timeout(value = 360, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    boolean haveBrowser = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    boolean required =
        "true".equals(System.getenv("CI"))
            || "1".equals(System.getenv("OIDC_GATE_REQUIRE_BROWSER"));
    if (!haveBrowser && required) {
      throw new IllegalStateException(
          "The browser test must run here (CI=true or OIDC_GATE_REQUIRE_BROWSER=1) but "
              + CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing: apt-get install -y chromium chromium-driver");
    }
    assumeTrue(haveBrowser, "Chromium and chromedriver are not installed; skipping");
    keycloak = SharedKeycloak.get(); // stopped when the test JVM exits
    upstream = echoUpstream();

    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void stop() {
    if (browser != null) {
      browser.quit();
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
      ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCookies", Map.of());
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

      // A person opens the app and is sent to Keycloak's login form.
      browser.get(app.url("/"));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
      assertThat(browser.getCurrentUrl())
          .as(app::logTail)
          .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
      browser.findElement(By.id("username")).sendKeys("alice");
      browser.findElement(By.id("password")).sendKeys(KeycloakInteropIT.PASSWORDS.get("alice"));
      browser.findElement(By.id("kc-login")).click();

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
    private final Process process;
    private final Path log;
    private final int port;

    private BootApp(Process process, Path log, int port) {
      this.process = process;
      this.log = log;
      this.port = port;
    }

    static BootApp start(String boot, String issuer, String upstreamUrl) throws Exception {
      Path jar = Path.of(required("spring-boot-app.jar." + boot));
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Path log = Path.of(required("spring-boot-app.logs")).resolve("boot-" + boot + ".log");
      Files.createDirectories(log.getParent());
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-jar");
      command.add(jar.toString());
      command.add("--server.address=127.0.0.1");
      command.add("--server.port=" + port);
      command.add("--oidc-gate.routes.oidc-route.target-uri=" + upstreamUrl);
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("OIDC_GATE_ISSUER", issuer);
      pb.environment().put("CLIENT_SECRET", KeycloakInteropIT.CLIENT_SECRET);
      pb.environment().put("SESSION_SECRET", "spring-boot-it-session-secret-0123456789abcdef");
      BootApp app = new BootApp(pb.start(), log, port);
      try {
        app.awaitLoginRedirect(Duration.ofSeconds(90));
      } catch (Exception | Error e) {
        app.close();
        throw e;
      }
      return app;
    }

    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }

    /** Up once {@code /} sends a browser to Keycloak (the filter has read the discovery). */
    private void awaitLoginRedirect(Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      int last = -1;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the app exited: " + logTail());
        }
        try {
          HttpResponse<Void> r =
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(url("/")))
                          .timeout(Duration.ofSeconds(5))
                          .header("Accept", "text/html")
                          .build(),
                      HttpResponse.BodyHandlers.discarding());
          last = r.statusCode();
          if (last == 302) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(300);
      }
      throw new IllegalStateException(
          "no login redirect from the app (last " + last + "): " + logTail());
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
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
