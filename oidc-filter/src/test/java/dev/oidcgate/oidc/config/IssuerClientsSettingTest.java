package dev.oidcgate.oidc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code issuerClients}: the grammar a {@code web.xml} user writes, and secrets never shown. */
class IssuerClientsSettingTest {

  private static OidcConfig parse(String issuerClients) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", "https://staff.example.com");
    p.put("clientId", "my-app");
    p.put("clientSecret", "main-secret");
    p.put("additionalIssuers", "https://partners.example.org");
    p.put("issuerClients", issuerClients);
    return OidcConfig.fromInitParams(p);
  }

  @Test
  void entriesNameAnIssuerAndOptionallyItsOwnClient() {
    List<IssuerClient> clients =
        parse(
                "staff=https://staff.example.com,"
                    + " partners=https://partners.example.org partners-app s3cret value")
            .client()
            .issuerClients();

    assertThat(clients).extracting(IssuerClient::name).containsExactly("staff", "partners");
    assertThat(clients.get(0).clientId()).isEmpty();
    assertThat(clients.get(1).clientId()).contains("partners-app");
    assertThat(clients.get(1).clientSecret().get().getValue()).isEqualTo("s3cret value");
    assertThat(clients.get(1).toString()).doesNotContain("s3cret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Partners=https://partners.example.org app s3cret-x",
        "partners=https://partners.example.org app",
        "partners=http://partners.example.org app s3cret-x",
        "partners=https://partners.example.org?x app s3cret-x",
        "https://partners.example.org app s3cret-x",
        "p=https://partners.example.org a s3cret-x, p=https://staff.example.com"
      })
  void aMalformedEntryIsRefusedWithoutQuotingItsSecret(String value) {
    assertThatThrownBy(() -> parse(value))
        .isInstanceOf(OidcConfigException.class)
        .hasMessageStartingWith("issuerClients")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }
}
