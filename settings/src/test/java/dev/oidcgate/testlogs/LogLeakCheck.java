package dev.oidcgate.testlogs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for secrets in a test run's captured output: every value of the {@link SecretLedger}, each
 * part of a ledgered JWT on its own, and shapes that are secrets whoever made them (a JWT, a bearer
 * credential, a code or token as a URL or form parameter, a {@code Cookie} header with its values).
 */
public final class LogLeakCheck {

  /** Shapes that are a secret whatever their value. */
  static final Map<String, Pattern> SHAPES =
      Map.of(
          "a JWT",
          Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}"),
          "a bearer credential",
          Pattern.compile("Bearer\\s+[A-Za-z0-9._~+/-]{12,}"),
          "a secret parameter",
          Pattern.compile(
              "(?i)(?:^|[?&;\\s\"'])(?:code|client_secret|refresh_token|access_token|id_token"
                  + "|logout_token|token|assertion)=[^&\\s\"';]{8,}"),
          "a Cookie header",
          Pattern.compile("(?i)\\bCookie:\\s*[^=\\s]+=[^;\\s]{12,}"));

  private static final int KEY = SecretLedger.MIN_LENGTH;

  /** One secret found in one line; the value itself is shown only by its first characters. */
  public record Finding(long line, String testClass, String what, String masked) {
    @Override
    public String toString() {
      return "line " + line + " (during " + testClass + "): " + what + " " + masked;
    }
  }

  /** What a check looked at and what it found. */
  public record Report(
      long linesScanned, int ledgerValues, List<String> testClasses, List<Finding> findings) {

    /** One paragraph for the build log and the security model. */
    public String summary() {
      return "Scanned "
          + linesScanned
          + " lines written by "
          + testClasses.size()
          + " test classes for "
          + ledgerValues
          + " ledger values (tokens, codes, secrets, cookies, session ids) and "
          + SHAPES.size()
          + " shapes ("
          + String.join(", ", SHAPES.keySet().stream().sorted().toList())
          + "): "
          + (findings.isEmpty() ? "nothing found" : findings.size() + " found");
    }
  }

  private final Map<String, List<String[]>> needles = new HashMap<>();
  private final int ledgerValues;

  /**
   * @param ledger value to kind, as {@link SecretLedger#snapshot()} gives
   */
  public LogLeakCheck(Map<String, String> ledger) {
    ledger.forEach(
        (value, kind) -> {
          addNeedle(value, kind);
          String[] parts = value.split("\\.");
          if (parts.length == 3 && value.startsWith("eyJ")) {
            // A JWT logged without its header, or only its signature, is as bad as the whole.
            addNeedle(parts[1], kind + " (its claims)");
            addNeedle(parts[2], kind + " (its signature)");
          }
        });
    this.ledgerValues = ledger.size();
  }

  /** Checks the files {@link TestLogCapture} wrote to {@code folder}. */
  public static Report inFolder(Path folder) throws IOException {
    Path log = folder.resolve(TestLogCapture.LOG_FILE);
    Path ledger = folder.resolve(TestLogCapture.LEDGER_FILE);
    Path suites = folder.resolve(TestLogCapture.SUITES_FILE);
    if (!Files.exists(log) || !Files.exists(ledger) || !Files.exists(suites)) {
      throw new IllegalStateException(
          "No captured test output in "
              + folder
              + ": the unit tests must run first, with -D"
              + TestLogCapture.CAPTURE_TO
              + " set (the module's surefire configuration does)");
    }
    LogLeakCheck check = new LogLeakCheck(SecretLedger.read(ledger));
    List<String> testClasses = Files.readAllLines(suites, StandardCharsets.UTF_8);
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (Reader reader = new InputStreamReader(Files.newInputStream(log), decoder)) {
      return check.scan(reader, testClasses);
    }
  }

  /**
   * What Jazzer's agent prints when a fuzz test class loads it: written to the process's standard
   * error directly, so the capture never sees it; class names only, no test data.
   */
  private static final Pattern JAZZER_AGENT =
      Pattern.compile("^INFO: (Loaded \\d+ hooks from |Instrumented \\S+ with )");

  /**
   * How many non-empty lines the test runner itself recorded for {@code testClasses} (surefire's
   * {@code CLASS-output.txt} files), to prove the capture missed nothing: the check must have
   * scanned at least as many.
   */
  public static long linesTheRunnerRecorded(Path reports, List<String> testClasses)
      throws IOException {
    long lines = 0;
    for (String testClass : testClasses) {
      Path output = reports.resolve(testClass + "-output.txt");
      if (Files.exists(output)) {
        try (var all = Files.lines(output, StandardCharsets.UTF_8)) {
          lines += all.filter(l -> !l.isEmpty() && !JAZZER_AGENT.matcher(l).find()).count();
        } catch (java.io.UncheckedIOException e) {
          throw e.getCause();
        }
      }
    }
    return lines;
  }

  /** Scans {@code text} line by line. */
  public Report scan(Reader text, List<String> testClasses) throws IOException {
    List<Finding> findings = new ArrayList<>();
    long number = 0;
    long scanned = 0;
    String testClass = "(before the first test class)";
    BufferedReader lines = new BufferedReader(text);
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      number++;
      if (line.startsWith(TestLogCapture.SUITE_MARK)) {
        testClass = line.substring(TestLogCapture.SUITE_MARK.length());
        continue;
      }
      if (line.isEmpty()) {
        continue;
      }
      scanned++;
      scanLine(line, number, testClass, findings);
    }
    return new Report(scanned, ledgerValues, List.copyOf(testClasses), findings);
  }

  private void scanLine(String line, long number, String testClass, List<Finding> findings) {
    for (int i = 0; i + KEY <= line.length(); i++) {
      List<String[]> candidates = needles.get(line.substring(i, i + KEY));
      if (candidates == null) {
        continue;
      }
      for (String[] needle : candidates) {
        if (line.startsWith(needle[0], i)) {
          findings.add(new Finding(number, testClass, needle[1], mask(needle[0])));
        }
      }
    }
    SHAPES.forEach(
        (what, shape) -> {
          Matcher m = shape.matcher(line);
          while (m.find()) {
            findings.add(new Finding(number, testClass, what, mask(m.group())));
          }
        });
  }

  private void addNeedle(String value, String kind) {
    if (value.length() >= KEY) {
      needles
          .computeIfAbsent(value.substring(0, KEY), k -> new ArrayList<>(1))
          .add(new String[] {value, kind});
    }
  }

  private static String mask(String secret) {
    return "\""
        + secret.substring(0, Math.min(6, secret.length()))
        + "…\" ("
        + secret.length()
        + " chars)";
  }
}
