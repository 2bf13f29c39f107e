package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code externalUrl} and {@code sessionCookieHostPrefix}: what they accept and refuse. */
class PublicUrlAndCookieNameSettingsTest {

  private static OidcConfigBuilder minimal() {
    return OidcConfig.builder().issuer("https://idp.example.com").clientId("app");
  }

  @ParameterizedTest
  @CsvSource({
    "https://app.example.com, https://app.example.com",
    "https://App.Example.com/, https://app.example.com",
    "https://app.example.com:8443/portal/, https://app.example.com:8443/portal",
    "http://[::1]:8080, http://[::1]:8080"
  })
  void externalUrlIsKeptWithoutItsTrailingSlash(String given, String kept) {
    assertThat(minimal().set("externalUrl", given).build().login().externalUrl())
        .contains(URI.create(kept));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/relative",
        "app.example.com",
        "ftp://app.example.com",
        "https://app.example.com/?x=1",
        "https://app.example.com/#f",
        "https://user@app.example.com"
      })
  void externalUrlMustBeAnAbsoluteHttpBaseUrl(String given) {
    assertThatThrownBy(() -> minimal().set("externalUrl", given))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("externalUrl");
  }

  @Test
  void hostPrefixDefaultsToAuto() {
    assertThat(minimal().build().cookies().hostPrefix()).isEqualTo(CookieHostPrefix.AUTO);
  }

  @ParameterizedTest
  @CsvSource({
    "sessionCookieDomain, example.com",
    "sessionCookiePath, /app",
    "sessionCookieSecure, false"
  })
  void alwaysPrefixingRefusesWhatAHostPrefixedCookieCannotHave(String key, String value) {
    assertThatThrownBy(
            () -> minimal().set("sessionCookieHostPrefix", "true").set(key, value).build())
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("sessionCookieHostPrefix");
  }

  @ParameterizedTest
  @ValueSource(strings = {"__Host-sid", "__host-sid", "__Secure-sid"})
  void aCookieNameIsWrittenWithoutAPrefixOfItsOwn(String name) {
    assertThatThrownBy(() -> minimal().set("sessionCookieName", name).build())
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("sessionCookieName");
  }

  @Test
  void autoPrefixingAcceptsAnyCookieAttributesAndSkipsThePrefixWhereInvalid() {
    assertThat(
            minimal()
                .set("sessionCookieDomain", "example.com")
                .set("sessionCookiePath", "/app")
                .build()
                .cookies()
                .hostPrefix())
        .isEqualTo(CookieHostPrefix.AUTO);
  }
}
