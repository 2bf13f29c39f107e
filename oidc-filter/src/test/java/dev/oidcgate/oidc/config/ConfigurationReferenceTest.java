package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md in step with {@link OidcSetting}: same keys, defaults and meanings.
 * The reference orders its rows for readers; the code groups them by the record they fill.
 */
class ConfigurationReferenceTest {

  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Za-z]+)` \\| ([^|]*) \\| (.*) \\|$");

  @Test
  void everyKeyDefaultAndMeaningInTheCodeIsDocumentedAndNothingElse() throws IOException {
    Map<String, String> documented = new LinkedHashMap<>();
    Path doc = Path.of("..", "docs", "configuration.md");
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        documented.put(m.group(1), m.group(2).trim() + " | " + m.group(3).trim());
      }
    }
    Map<String, String> inCode = new LinkedHashMap<>();
    for (OidcSetting<?> s : OidcSetting.values()) {
      inCode.put(
          s.key(),
          (s.defaultValue() == null ? "—" : "`" + s.defaultValue() + "`")
              + " | "
              + s.description());
    }
    assertThat(documented)
        .as(
            "rows of "
                + doc.toAbsolutePath().normalize()
                + " (expected rows:\n"
                + expectedRows()
                + ")")
        .containsExactlyInAnyOrderEntriesOf(inCode);
  }

  private static String expectedRows() {
    StringBuilder b = new StringBuilder();
    for (OidcSetting<?> s : OidcSetting.values()) {
      b.append("| `")
          .append(s.key())
          .append("` | ")
          .append(s.defaultValue() == null ? "—" : "`" + s.defaultValue() + "`")
          .append(" | ")
          .append(s.description())
          .append(" |\n");
    }
    return b.toString();
  }
}
