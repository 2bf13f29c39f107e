package dev.oidcgate.testlogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * After all unit tests of a module (the verify phase): nothing they made the library log, at DEBUG
 * and above, holds a token, code, client secret, refresh token, cookie value or session id that the
 * test support handed out or saw, nor anything shaped like one. Covers every test class of the run,
 * including those added later (TestLogCapture is found by the JUnit Platform, not listed). Each
 * module runs it as its own {@code NoSecretInTestLogsIT}, which failsafe finds by name.
 */
public abstract class NoSecretInTestLogsCheck {

  @Test
  public void theUnitTestsLoggedNoTokenCodeSecretCookieOrSessionId() throws Exception {
    Path folder = Path.of(System.getProperty("oidcgate.testLogs.checkIn", "target/test-logs"));

    LogLeakCheck.Report report = LogLeakCheck.inFolder(folder);

    Files.writeString(
        folder.resolve("leak-check.txt"), report.summary() + "\n", StandardCharsets.UTF_8);
    assertThat(report.findings()).as(report.summary()).isEmpty();
    // Not vacuous: the capture saw every line the test runner recorded, and the test support
    // recorded what it handed out.
    long recorded =
        LogLeakCheck.linesTheRunnerRecorded(
            Path.of("target/surefire-reports"), report.testClasses());
    assertThat(recorded).as("lines in surefire's output files").isPositive();
    assertThat(report.linesScanned()).as(report.summary()).isGreaterThanOrEqualTo(recorded);
    assertThat(report.ledgerValues()).as(report.summary()).isPositive();
  }
}
