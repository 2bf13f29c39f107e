package dev.oidcgate.oidc.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnUrlsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "//evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "/ok\r\nLocation: https://evil.example",
        "/ok\tx",
        "/a\\b",
        "/caf\u00e9",
        " /x",
        ""
      })
  void openRedirectPayloadsNeverLeaveTheOrigin(String payload) {
    assertThat(ReturnUrls.sameOrigin(payload, "/app/")).isEqualTo("/app/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/app/resource?x=1&y=2", "/%2f%5cevil.example", "/app/%2F%2Fx", "/", "/a;b?c=%20"})
  void sameOriginPathsAreKeptAsTheyAre(String path) {
    assertThat(ReturnUrls.sameOrigin(path, "/app/")).isEqualTo(path);
  }

  @org.junit.jupiter.api.Test
  void overLongUrlsFallBack() {
    assertThat(ReturnUrls.sameOrigin("/" + "a".repeat(ReturnUrls.MAX_LENGTH), "/app/"))
        .isEqualTo("/app/");
  }
}
