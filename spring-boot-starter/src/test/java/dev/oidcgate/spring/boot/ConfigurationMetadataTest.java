package dev.oidcgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.config.OidcSetting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationMetadataTest {

  private static final Path FILE = Path.of(System.getProperty("metadata.file"));
  private static final Path DOCS = Path.of(System.getProperty("docs.dir"));

  @Test
  void theCommittedMetadataIsWhatTheSettingDefinitionsGenerate() throws Exception {
    String generated = ConfigurationMetadata.generate(DOCS);
    if (Boolean.getBoolean("write.starter.metadata")) {
      Files.writeString(FILE, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(FILE))
        .as(
            "%s is stale: regenerate it with mvn -pl spring-boot-starter test"
                + " -Dtest=ConfigurationMetadataTest -Dwrite.starter.metadata=true",
            FILE)
        .isEqualTo(generated);
  }

  @Test
  void everyFilterKeyHasItsPropertyWithItsDescriptionAndDefault() throws Exception {
    String file = Files.readString(FILE);
    assertThat(file)
        .contains("\"name\": \"oidc-gate.client-id\"")
        .contains("\"name\": \"oidc-gate.http-connect-timeout\"")
        .contains("\"defaultValue\": \"5s\"")
        .contains("target-uri (default (required): The upstream's base URI");
    for (OidcSetting<?> s : OidcSetting.values()) {
      assertThat(file).contains("\"name\": \"" + OidcGateProperties.property(s.key()) + "\"");
    }
  }

  @Test
  void noFilterKeyIsNamedLikeOneOfTheStartersOwn() {
    for (OidcSetting<?> s : OidcSetting.values()) {
      assertThat(OidcGateProperties.STARTER_KEYS).doesNotContain(OidcGateProperties.kebab(s.key()));
    }
  }
}
