package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of several nodes: contradictions stop start-up with the key at fault. */
class ClusterSettingsTest {

  private static Map<String, String> minimal() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", "https://idp.example.com/realms/demo");
    p.put("clientId", "my-app");
    p.put("clientSecret", "s");
    return p;
  }

  @Test
  void withoutRedisNothingIsSharedAndTheDefaultsApply() {
    ClusterSettings c = OidcConfig.fromInitParams(minimal()).cluster();
    assertThat(c.usesRedis()).isFalse();
    assertThat(c.redisTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.logoutTokenMaxAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.backchannelLogoutPath()).isEmpty();
  }

  @Test
  void sessionStoreRedisWithoutRedisUriNamesRedisUri() {
    Map<String, String> p = minimal();
    p.put("sessionStore", "redis");
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("redisUri:");
  }

  @Test
  void redisUriWithoutSessionSecretNamesSessionSecret() {
    Map<String, String> p = minimal();
    p.put("redisUri", "redis://127.0.0.1:6379");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("sessionSecret:");
  }

  @Test
  void aRedisUriWithAPasswordNeverAppearsInAMessage() {
    Map<String, String> p = minimal();
    p.put("redisUri", "redis://:hunter2-password@127.0.0.1:6379");
    p.put("redisTimeout", "soon");
    assertThatThrownBy(() -> OidcConfig.fromInitParams(p))
        .hasMessageStartingWith("redisTimeout:")
        .hasMessageNotContaining("hunter2");
    assertThat(OidcSetting.forKey("redisUri").secret()).isTrue();
  }
}
