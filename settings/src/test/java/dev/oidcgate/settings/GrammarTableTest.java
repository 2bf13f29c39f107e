package dev.oidcgate.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.settings.GrammarCases.Case;
import dev.oidcgate.settings.GrammarCases.Kind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared table, run against the parsers themselves. */
class GrammarTableTest {

  private static final Placeholders PLACEHOLDERS =
      new Placeholders(GrammarCases.ENVIRONMENT::get, GrammarCases.SYSTEM_PROPERTIES::get);

  static Stream<Case> cases() {
    return GrammarCases.load().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyRowParsesAsTheTableSays(Case c) {
    if (c.isError()) {
      assertThatThrownBy(() -> parse(c))
          .as(c.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(reason(e)).startsWith(c.error()));
    } else {
      assertThat(String.valueOf(parse(c))).as(c.toString()).isEqualTo(c.expected());
    }
  }

  @Test
  void theTableCoversEveryKindWithValuesAndErrors() {
    List<Case> all = GrammarCases.load();
    Set<Kind> neverFail = EnumSet.of(Kind.LIST, Kind.WORDS);
    for (Kind kind : Kind.values()) {
      if (!neverFail.contains(kind)) {
        assertThat(all).as(kind + " errors").anyMatch(c -> c.kind() == kind && c.isError());
      }
      if (kind != Kind.INSTANCE_OF) { // a created instance's type differs by module
        assertThat(all).as(kind + " values").anyMatch(c -> c.kind() == kind && !c.isError());
      }
    }
  }

  private static Object parse(Case c) {
    return switch (c.kind()) {
      case DURATION -> SettingParsers.duration(c.text());
      case BOOL -> SettingParsers.bool(c.text());
      case POSITIVE_INT -> SettingParsers.positiveInt(c.text());
      case LIST -> SettingParsers.list(c.text());
      case WORDS -> SettingParsers.words(c.text());
      case HTTP_URI -> SettingParsers.httpUri(c.text());
      case PLACEHOLDER -> PLACEHOLDERS.resolve("key", c.text());
      case INSTANCE_OF -> SettingParsers.instanceOf(c.text(), Runnable.class);
    };
  }

  /** Parsers give the reason alone; placeholders name the key, which the table leaves out. */
  private static String reason(Throwable e) {
    return e instanceof SettingException s ? s.reason() : e.getMessage();
  }
}
