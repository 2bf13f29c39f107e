package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.config.OidcSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the guides in step with the code: every {@code <init-param>} of an {@code OidcFilter}
 * {@code <filter>} block in a fenced code block of {@code docs/**.md}, and every {@code .set("key",
 * ...)} in a Java block, must name a key of {@link OidcSetting}.
 */
class DocsSnippetsTest {

  private static final Pattern FENCE =
      Pattern.compile("(?ms)^[ \\t]*```([A-Za-z]*)[^\\n]*\\n(.*?)^[ \\t]*```");
  private static final Pattern FILTER = Pattern.compile("(?s)<filter>(.*?)</filter>");
  private static final Pattern PARAM_NAME =
      Pattern.compile("(?s)<init-param>\\s*<param-name>\\s*([^<]*?)\\s*</param-name>");
  private static final Pattern SET_CALL = Pattern.compile("\\.set\\(\\s*\"([^\"]*)\"");

  @Test
  void everyFilterKeyInTheGuidesIsAKeyOfTheCode() throws IOException {
    Set<String> known = OidcSetting.values().stream().map(s -> s.key()).collect(Collectors.toSet());
    List<String> found = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Path doc : markdownFiles()) {
      for (String[] use : keysUsedIn(Files.readString(doc, StandardCharsets.UTF_8))) {
        String where = Path.of("..", "docs").relativize(doc) + ": " + use[0];
        found.add(where);
        if (!known.contains(use[0])) {
          unknown.add(where + " (in " + use[1] + ")");
        }
      }
    }
    assertThat(found)
        .as("OidcFilter keys found in docs/**/*.md; the parser found none, so it is broken")
        .isNotEmpty();
    assertThat(unknown).as("keys in docs/**/*.md that OidcSetting does not know").isEmpty();
  }

  @Test
  void theParserSeesAMisspeltKey() {
    String doc =
        "text\n\n```xml\n<filter>\n  <filter-class>dev.oidcgate.oidc.OidcFilter</filter-class>\n"
            + "  <init-param><param-name>isuer</param-name><param-value>x</param-value></init-param>\n</filter>\n"
            + "<servlet><init-param><param-name>targetUri</param-name></init-param></servlet>\n```\n\n"
            + "```java\nOidcConfig.builder().set(\"rolesClam\", \"x\");\nProxyConfig.builder().targetUri(\"x\");\n```\n";
    assertThat(keysUsedIn(doc)).extracting(u -> u[0]).containsExactly("isuer", "rolesClam");
  }

  /** Each key as {name, kind of snippet}. Proxy servlets and other filters are left alone. */
  static List<String[]> keysUsedIn(String markdown) {
    List<String[]> keys = new ArrayList<>();
    Matcher fence = FENCE.matcher(markdown);
    while (fence.find()) {
      String block = fence.group(2);
      Matcher filter = FILTER.matcher(block);
      while (filter.find()) {
        if (!filter.group(1).contains("dev.oidcgate.oidc.OidcFilter")) {
          continue;
        }
        Matcher param = PARAM_NAME.matcher(filter.group(1));
        while (param.find()) {
          keys.add(new String[] {param.group(1), "web.xml"});
        }
      }
      if (fence.group(1).equals("java") && block.contains("OidcConfig")) {
        Matcher set = SET_CALL.matcher(block);
        while (set.find()) {
          keys.add(new String[] {set.group(1), "Java .set(...)"});
        }
      }
    }
    return keys;
  }

  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("..", "docs"))) {
      return files.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList());
    }
  }
}
