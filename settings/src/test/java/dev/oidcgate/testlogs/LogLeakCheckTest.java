package dev.oidcgate.testlogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogLeakCheckTest {

  private static final String REFRESH = "rt-5f0c1d2e-7a9b-4c3d-8e1f-0a2b3c4d5e6f";
  private static final String JWT =
      "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCJ9"
          + ".c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1ieS10aGUtaWRw";

  private final LogLeakCheck check =
      new LogLeakCheck(Map.of(REFRESH, "refresh token", JWT, "ID token", "short", "too short"));

  private LogLeakCheck.Report scan(String log) throws IOException {
    return check.scan(new StringReader(log), List.of("SomeTest"));
  }

  @Test
  void aLedgerValueAnywhereInALineIsFound() throws IOException {
    LogLeakCheck.Report report =
        scan(
            TestLogCapture.SUITE_MARK
                + "dev.oidcgate.SomeTest\n"
                + "[main] INFO dev.oidcgate.X - fine\n"
                + "[main] WARN dev.oidcgate.X - refresh failed for "
                + REFRESH
                + ", retrying\n");

    assertThat(report.findings()).hasSize(1);
    LogLeakCheck.Finding finding = report.findings().get(0);
    assertThat(finding.line()).isEqualTo(3);
    assertThat(finding.testClass()).isEqualTo("dev.oidcgate.SomeTest");
    assertThat(finding.what()).isEqualTo("refresh token");
    assertThat(finding.toString()).doesNotContain(REFRESH).contains("rt-5f0");
    assertThat(report.linesScanned()).isEqualTo(2);
  }

  @Test
  void theClaimsOrSignatureOfALedgeredJwtAreFoundOnTheirOwn() throws IOException {
    String[] parts = JWT.split("\\.");

    assertThat(scan("claims: " + parts[1] + "\n").findings())
        .extracting(LogLeakCheck.Finding::what)
        .containsExactly("ID token (its claims)");
    assertThat(scan("sig=" + parts[2] + "\n").findings())
        .extracting(LogLeakCheck.Finding::what)
        .containsExactly("ID token (its signature)");
  }

  @Test
  void secretShapesAreFoundWithoutALedger() throws IOException {
    LogLeakCheck empty = new LogLeakCheck(Map.of());
    String log =
        String.join(
            "\n",
            "token eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.",
            "Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA",
            "GET /app/callback?state=x&code=SplxlOBeZQQYbYS6WxSbIA",
            "Cookie: JSESSIONID=node0abcdef0123456789",
            "client_secret=web-app-secret-value");

    List<LogLeakCheck.Finding> findings = empty.scan(new StringReader(log), List.of()).findings();

    assertThat(findings)
        .extracting(LogLeakCheck.Finding::what)
        .containsExactly(
            "a JWT",
            "a bearer credential",
            "a secret parameter",
            "a Cookie header",
            "a secret parameter");
  }

  @Test
  void ordinaryLogLinesAreClean() throws IOException {
    LogLeakCheck.Report report =
        scan(
            "[main] WARN dev.oidcgate.proxy.ProxyServlet - GET /get: upstream failed, answering"
                + " 502: java.net.ConnectException: Connection refused (and 4,012 more like it in"
                + " the last 60 s)\n"
                + "401 WWW-Authenticate: Bearer realm=\"app\", error=\"invalid_token\"\n"
                + "The token endpoint refused a refresh: invalid_grant\n"
                + "short\n");

    assertThat(report.findings()).isEmpty();
    assertThat(report.ledgerValues()).isEqualTo(3);
  }

  @Test
  void checksTheFilesTheCaptureWrote(@TempDir Path folder) throws IOException {
    Files.writeString(
        folder.resolve(TestLogCapture.LOG_FILE),
        TestLogCapture.SUITE_MARK + "a.BTest\nleaked " + REFRESH + "\n",
        StandardCharsets.UTF_8);
    SecretLedger.write(
        Map.of(REFRESH, "refresh token"), folder.resolve(TestLogCapture.LEDGER_FILE));
    Files.write(folder.resolve(TestLogCapture.SUITES_FILE), List.of("a.BTest"));

    LogLeakCheck.Report report = LogLeakCheck.inFolder(folder);

    assertThat(report.findings())
        .extracting(LogLeakCheck.Finding::testClass)
        .containsExactly("a.BTest");
    assertThat(report.summary()).contains("Scanned 1 lines written by 1 test classes for 1 ledger");
  }

  @Test
  void refusesToPassWhenNothingWasCaptured(@TempDir Path folder) {
    assertThatThrownBy(() -> LogLeakCheck.inFolder(folder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the unit tests must run first");
  }
}
