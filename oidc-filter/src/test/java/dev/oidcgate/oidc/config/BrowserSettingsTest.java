package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oidcgate.settings.Placeholders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code preservePost}, {@code preservePostMaxSize} and {@code errorPage} as init-params. */
class BrowserSettingsTest {

  private static OidcConfig parse(String... keyValues) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", "https://idp.example.com/realms/demo");
    p.put("clientId", "my-app");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    return OidcConfig.fromInitParams(p, new Placeholders(n -> null, n -> null));
  }

  @Test
  void offByDefaultWith64KibAndTheFiltersOwnPage() {
    BrowserSettings b = parse().browser();
    assertThat(b.preservePost()).isFalse();
    assertThat(b.preservePostMaxSize()).isEqualTo(65536);
    assertThat(b.errorPage()).isEmpty();
  }

  @Test
  void onOffAPathOrContainer() {
    assertThat(parse("preservePost", "on").browser().preservePost()).isTrue();
    assertThat(parse("preservePost", "off").browser().preservePost()).isFalse();
    assertThat(parse("errorPage", "/forbidden.jsp").browser().errorPage())
        .isEqualTo(Optional.of("/forbidden.jsp"));
    assertThat(parse("errorPage", "container").browser().errorPage())
        .isEqualTo(Optional.of("container"));
  }

  @Test
  void badValuesStopStartUpNamingTheKey() {
    assertThatThrownBy(() -> parse("preservePost", "yes"))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("preservePost")
        .hasMessageContaining("on or off");
    assertThatThrownBy(() -> parse("preservePostMaxSize", "16777217"))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("preservePostMaxSize");
    assertThatThrownBy(() -> parse("preservePostMaxSize", "0"))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("preservePostMaxSize");
    assertThatThrownBy(() -> parse("errorPage", "https://evil.example/"))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("errorPage");
    assertThatThrownBy(() -> parse("errorPage", "//evil.example/"))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageContaining("errorPage");
  }
}
