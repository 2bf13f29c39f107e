package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example in docs/per-path-policy.md is a configuration the filter accepts as written. */
class PerPathPolicyGuideTest {

  private static final Pattern PARAM =
      Pattern.compile(
          "(?s)<init-param>\\s*<param-name>\\s*([^<]*?)\\s*</param-name>\\s*<param-value>(.*?)</param-value>");

  @Test
  void theGuidesExampleFilterConfigurationParses() throws Exception {
    String guide =
        Files.readString(Path.of("..", "docs", "per-path-policy.md"), StandardCharsets.UTF_8);
    String filter = guide.substring(guide.indexOf("<filter>"), guide.indexOf("</filter>"));
    OidcConfigBuilder builder = OidcConfig.builder();
    Matcher m = PARAM.matcher(filter);
    int n = 0;
    while (m.find()) {
      String value = m.group(2).replace("${env:OIDC_CLIENT_SECRET}", "secret");
      builder.set(m.group(1), value.trim());
      n++;
    }
    assertThat(n).isGreaterThanOrEqualTo(8);
    OidcConfig config = builder.build();
    assertThat(config.policy().paths().isPublic("/app/help/faq")).isTrue();
    assertThat(config.policy().paths().stepUpFor("GET", "/app/payments/1").isNone()).isFalse();
  }
}
