package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.testlogs.LogLeakCheck;
import dev.oidcgate.testlogs.TestLogCapture;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * NoSecretInTestLogsIT can fail: a value logged through SLF4J by code under {@code dev.oidcgate}
 * during a test reaches the captured run log, and the checker names it and the test class.
 */
class LeakCheckSeesWhatTheLibraryLogsTest {

  @Test
  void aSecretLoggedDuringATestIsReportedByTheLeakCheck() throws Exception {
    String to = System.getProperty(TestLogCapture.CAPTURE_TO);
    Assumptions.assumeTrue(to != null, "runs where the build captures test output (mvn test)");
    // Planted only in this check's own ledger, so the module's real check stays clean.
    String planted = "planted-" + UUID.randomUUID();

    LoggerFactory.getLogger("dev.oidcgate.oidc.LeakProbe").warn("probe saw {}", planted);

    LogLeakCheck.Report report;
    try (Reader log =
        Files.newBufferedReader(Path.of(to, "test-output.log"), StandardCharsets.UTF_8)) {
      report = new LogLeakCheck(Map.of(planted, "planted secret")).scan(log, List.of());
    }
    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.what()).isEqualTo("planted secret");
              assertThat(f.testClass()).isEqualTo(getClass().getName());
              assertThat(f.toString()).doesNotContain(planted);
            });
  }
}
