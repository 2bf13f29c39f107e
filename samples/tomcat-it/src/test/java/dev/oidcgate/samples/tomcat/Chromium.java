package dev.oidcgate.samples.tomcat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's browser for the real-browser tests: Debian's headless Chromium driven through
 * /usr/bin/chromedriver, with its own fresh profile, and how a person signs in on the login pages
 * of the providers the tests use. Used by the {@code *ChromiumIT} tests here and by samples/
 * keycloak-it (through this module's test-jar).
 *
 * <p>Call {@link #assumeInstalled()} first in {@code @BeforeAll}: without Chromium the test is
 * skipped when run by hand ({@code mvn verify}); in CI ({@code CI=true}) and under {@code ./test}
 * (which installs it and sets {@code OIDC_GATE_REQUIRE_BROWSER=1}) a missing browser is a failure.
 */
public final class Chromium implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;

  private Chromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /**
   * Skips the calling test class when Chromium or chromedriver is missing, or fails it when a
   * browser is required here (CI=true or OIDC_GATE_REQUIRE_BROWSER=1).
   */
  public static void assumeInstalled() {
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
    assumeTrue(
        haveBrowser, "Chromium and chromedriver are not installed; skipping the real-browser test");
  }

  /** Starts headless Chromium with a new profile (no cookies); pages load within 30 seconds. */
  public static Chromium start() throws IOException {
    assumeInstalled();
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // As root in a container, with no network beyond loopback: no sandbox, no background traffic.
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
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new Chromium(driver);
  }

  /** The driver, for what a test does in the browser. */
  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Waits for mock-oauth2-server's interactive login page (the browser must be on its way there)
   * and returns its URL.
   */
  public String awaitMockProviderLogin() {
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
    return driver.getCurrentUrl();
  }

  /** Signs in as {@code user} on mock-oauth2-server's interactive login page. */
  public void signInAtMockProvider(String user) {
    awaitMockProviderLogin();
    driver.findElement(By.name("username")).sendKeys(user);
    driver.findElement(By.cssSelector("input[type=submit]")).click();
  }

  /** Waits for Keycloak's login form (the browser must be on its way there) and returns its URL. */
  public String awaitKeycloakLogin() {
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
    return driver.getCurrentUrl();
  }

  /** Signs in as {@code user} with {@code password} on Keycloak's login form. */
  public void signInAtKeycloak(String user, String password) {
    awaitKeycloakLogin();
    driver.findElement(By.name("username")).sendKeys(user);
    driver.findElement(By.name("password")).sendKeys(password);
    driver.findElement(By.id("kc-login")).click();
  }

  /** Quits the browser and its chromedriver. */
  @Override
  public void close() {
    driver.quit();
  }
}
