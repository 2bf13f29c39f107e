package dev.oidcgate.settings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The table of settings-grammar cases in {@code grammar-cases.tsv}, shipped in this module's
 * test-jar so that every module reading settings runs the same table through its own key parsing. A
 * runner maps each {@link Kind} to one of its keys of that type, sets {@link #ENVIRONMENT} and
 * {@link #SYSTEM_PROPERTIES} as the placeholder lookups, and checks each {@link Case}: the parsed
 * value printed by {@link String#valueOf(Object)} equals {@link Case#expected()}, or the failure's
 * reason starts with {@link Case#error()}. No test framework is needed to load it.
 */
public final class GrammarCases {

  /**
   * The environment variables placeholder rows refer to; {@code GC_UNSET} is deliberately absent.
   */
  public static final Map<String, String> ENVIRONMENT =
      Map.of("GC_HOST", "upstream.example", "GC_EMPTY", "");

  /** The system properties placeholder rows refer to; {@code gc.unset} is deliberately absent. */
  public static final Map<String, String> SYSTEM_PROPERTIES =
      Map.of("gc.scheme", "https", "gc.path", "/base");

  /** What a row's text is parsed as; named in the table as in {@link SettingParsers}. */
  public enum Kind {
    DURATION("duration"),
    BOOL("bool"),
    POSITIVE_INT("positiveInt"),
    LIST("list"),
    WORDS("words"),
    HTTP_URI("httpUri"),
    /** Text resolved by {@link Placeholders}; the rows' values are http URLs. */
    PLACEHOLDER("placeholder"),
    /** A class name for {@link SettingParsers#instanceOf}; the rows are failures only. */
    INSTANCE_OF("instanceOf");

    private final String name;

    Kind(String name) {
      this.name = name;
    }

    static Kind named(String name) {
      return Arrays.stream(values())
          .filter(k -> k.name.equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("grammar-cases.tsv: unknown kind " + name));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * One row.
   *
   * @param line the row's line number in the file, for failure messages
   * @param expected the value as {@link String#valueOf(Object)} prints it, or {@code !} and the
   *     start of the error reason
   */
  public record Case(int line, Kind kind, String text, String expected) {

    /** Whether the text must be refused. */
    public boolean isError() {
      return expected.startsWith("!");
    }

    /** The start of the reason it must be refused with (the message after {@code key: }). */
    public String error() {
      if (!isError()) {
        throw new IllegalStateException(this + " is not an error case");
      }
      return expected.substring(1);
    }

    @Override
    public String toString() {
      return "grammar-cases.tsv:" + line + " " + kind + " '" + text + "'";
    }
  }

  private GrammarCases() {}

  /** Every row, in file order. */
  public static List<Case> load() {
    try (InputStream in = GrammarCases.class.getResourceAsStream("grammar-cases.tsv")) {
      if (in == null) {
        throw new IllegalStateException("grammar-cases.tsv is not on the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Case> cases = new ArrayList<>();
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split("\t", -1);
        if (fields.length != 3) {
          throw new IllegalStateException(
              "grammar-cases.tsv:" + number + ": want kind, text and expected, tab-separated");
        }
        cases.add(
            new Case(number, Kind.named(fields[0]), unescape(fields[1]), unescape(fields[2])));
      }
      return List.copyOf(cases);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rows of one kind. */
  public static List<Case> load(Kind kind) {
    return load().stream().filter(c -> c.kind() == kind).toList();
  }

  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c != '\\' || i + 1 == field.length()) {
        out.append(c);
        continue;
      }
      char next = field.charAt(++i);
      switch (next) {
        case 's' -> out.append(' ');
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        default -> out.append(next);
      }
    }
    return out.toString();
  }
}
