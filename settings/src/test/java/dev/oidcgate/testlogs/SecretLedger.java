package dev.oidcgate.testlogs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret value the test support hands out or sees (tokens and codes a test IdP issues, client
 * secrets, cookie values and session ids a test browser receives, credentials a test client sends),
 * so that {@link LogLeakCheck} can prove none of them reached the log. Values shorter than {@link
 * #MIN_LENGTH} are not kept: they would match ordinary words, and no real secret is that short.
 * Thread-safe; grows for the whole test run (a few thousand values).
 */
public final class SecretLedger {

  /** Shorter values are not recorded. */
  public static final int MIN_LENGTH = 12;

  private static final Map<String, String> VALUES = new ConcurrentHashMap<>();

  private SecretLedger() {}

  /**
   * Records a value that must never appear in a log.
   *
   * @param kind what it is ("access token", "session cookie"), named in a finding
   * @param value the secret; {@code null} and short values are ignored
   */
  public static void record(String kind, String value) {
    if (value != null && value.length() >= MIN_LENGTH) {
      VALUES.putIfAbsent(value, kind);
    }
  }

  /** A snapshot: value to kind. */
  public static Map<String, String> snapshot() {
    return new LinkedHashMap<>(VALUES);
  }

  /** Writes {@code values} one per line, {@code kind TAB value} (values hold no tab or newline). */
  static void write(Map<String, String> values, Path file) throws IOException {
    List<String> lines = new ArrayList<>(values.size());
    values.forEach(
        (value, kind) -> {
          if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0 && value.indexOf('\t') < 0) {
            lines.add(kind + "\t" + value);
          }
        });
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** Reads what {@link #write} wrote: value to kind. */
  static Map<String, String> read(Path file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        values.put(line.substring(tab + 1), line.substring(0, tab));
      }
    }
    return values;
  }
}
