package dev.oidcgate.settings.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oidcgate.settings.Placeholders;
import dev.oidcgate.settings.SettingException;
import dev.oidcgate.settings.SettingParsers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The value grammar on arbitrary text: each parser either returns a value that keeps its documented
 * promise or throws {@link IllegalArgumentException} with a reason; placeholders fail only with a
 * {@link SettingException} that names the key. Corpus: {@code
 * src/test/resources/dev/oidcgate/settings/fuzz/SettingParsersFuzzTestInputs/}; docs/fuzzing.md.
 */
class SettingParsersFuzzTest {

  private enum Mode {
    ONE,
    TWO
  }

  private static final Map<String, String> VARIABLES = Map.of("SET", "value", "EMPTY", "");

  private static final Placeholders PLACEHOLDERS =
      new Placeholders(VARIABLES::get, name -> name.equals("user.name") ? "alice" : null);

  /**
   * Input: one byte choosing the parser, then UTF-8 text: {@code key NUL value} for placeholders,
   * the value alone for the others (the key is then {@code k}).
   */
  @FuzzTest
  void everyParserReturnsAValidValueOrRefusesWithAReason(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int parser = Byte.toUnsignedInt(input[0]) % 8;
    String rest = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    int nul = rest.indexOf('\0');
    String key = parser == 7 && nul >= 0 ? rest.substring(0, nul) : "k";
    String text = parser == 7 && nul >= 0 ? rest.substring(nul + 1) : rest;
    try {
      check(parser, key, text);
    } catch (SettingException e) {
      assertThat(parser).as("only placeholders name a key").isEqualTo(7);
      assertThat(e.key()).isEqualTo(key);
      assertThat(e.getMessage()).startsWith(key + ": ").isEqualTo(key + ": " + e.reason());
      assertThat(e.reason()).isNotBlank();
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).as("a reason").isNotBlank();
    }
  }

  private static void check(int parser, String key, String text) {
    switch (parser) {
      case 0 -> {
        Duration d = SettingParsers.duration(text);
        assertThat(d.isNegative()).isFalse();
      }
      case 1 -> assertThat(SettingParsers.positiveInt(text)).isPositive();
      case 2 -> {
        boolean b = SettingParsers.bool(text);
        // "Surrounding whitespace" is String.trim()'s: every character up to U+0020, NUL included.
        assertThat(text.trim().toLowerCase(Locale.ROOT)).isEqualTo(Boolean.toString(b));
      }
      case 3 -> {
        URI uri = SettingParsers.httpUri(text);
        assertThat(uri.getScheme().toLowerCase(Locale.ROOT)).isIn("http", "https");
        assertThat(uri.getHost()).isNotNull();
      }
      case 4 -> {
        List<String> list = SettingParsers.list(text);
        for (String entry : list) {
          assertThat(entry).isNotEmpty().isEqualTo(entry.trim()).doesNotContain(",", "\n", "\r");
        }
      }
      case 5 -> {
        for (String word : SettingParsers.words(text)) {
          assertThat(word).isNotEmpty().doesNotContain(",").doesNotContainPattern("\\s");
        }
      }
      case 6 -> {
        Mode m = SettingParsers.choice(text, Mode.values(), Mode::name);
        assertThat(m.name()).isEqualToIgnoringCase(text.trim());
      }
      default -> {
        String resolved = PLACEHOLDERS.resolve(key, text);
        if (!text.contains("${")) {
          assertThat(resolved).isSameAs(text);
        }
      }
    }
  }
}
