package dev.oidcgate.oidc.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionCryptoTest {

  private static final String OLD = "an-old-session-secret-of-32-characters-or-more";
  private static final String NEW = "a-new-session-secret-of-32-characters-or-more!";

  @Test
  void sealedValuesOpenOnlyForTheirPurpose() {
    SessionCrypto crypto = SessionCrypto.fromSecrets(List.of(NEW));
    String sealed = crypto.seal("login", "{\"x\":1}");
    assertThat(crypto.open("login", sealed)).contains("{\"x\":1}");
    assertThat(crypto.open("session", sealed)).isEmpty();
  }

  @Test
  void everySealUsesAFreshIv() {
    SessionCrypto crypto = SessionCrypto.fromSecrets(List.of(NEW));
    assertThat(crypto.seal("session", "same")).isNotEqualTo(crypto.seal("session", "same"));
  }

  @Test
  void anyChangedCharacterFailsAuthentication() {
    SessionCrypto crypto = SessionCrypto.fromSecrets(List.of(NEW));
    String sealed = crypto.seal("session", "{\"sub\":\"alice\"}");
    for (int i = 0; i < sealed.length(); i++) {
      char c = sealed.charAt(i);
      if (c == '.') {
        continue;
      }
      String tampered = sealed.substring(0, i) + (c == 'A' ? 'B' : 'A') + sealed.substring(i + 1);
      assertThat(crypto.open("session", tampered))
          .as("position " + i)
          .satisfiesAnyOf(
              opened -> assertThat(opened).isEmpty(),
              // the last base64url character of a part may carry unused bits that do not change the
              // bytes
              opened -> assertThat(opened).contains("{\"sub\":\"alice\"}"));
    }
    assertThat(crypto.open("session", sealed.substring(0, sealed.length() - 5))).isEmpty();
  }

  @Test
  void rotatedSecretsStillOpenOldValuesButSealWithTheFirst() {
    String sealedWithOld = SessionCrypto.fromSecrets(List.of(OLD)).seal("session", "v");
    SessionCrypto rotated = SessionCrypto.fromSecrets(List.of(NEW, OLD));
    assertThat(rotated.open("session", sealedWithOld)).contains("v");
    String sealedWithNew = rotated.seal("session", "w");
    assertThat(SessionCrypto.fromSecrets(List.of(NEW)).open("session", sealedWithNew))
        .contains("w");
    assertThat(SessionCrypto.fromSecrets(List.of(OLD)).open("session", sealedWithNew)).isEmpty();
  }

  @Test
  void shortSecretsAreRefused() {
    assertThatThrownBy(() -> SessionCrypto.fromSecrets(List.of("short")))
        .hasMessageContaining("32");
  }

  @Test
  void aValueSealedWithAnotherAlgorithmHeaderIsRefused() {
    SessionCrypto crypto = SessionCrypto.fromSecrets(List.of(NEW));
    assertThat(crypto.open("session", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")).isEmpty();
  }

  @Test
  void partsOutsideTheBase64urlAlphabetOrOfTheWrongNumberDoNotOpen() {
    SessionCrypto crypto = SessionCrypto.fromSecrets(List.of(NEW));
    String sealed = crypto.seal("session", "{\"sub\":\"alice\"}");
    String[] parts = sealed.split("\\.", -1);
    assertThat(parts).hasSize(5);
    for (int part = 2; part < 5; part++) {
      for (String bad : List.of("+", "/", "=", " ", "*", "\u00e9")) {
        String[] changed = parts.clone();
        changed[part] = changed[part].substring(0, 1) + bad + changed[part].substring(2);
        assertThat(crypto.open("session", String.join(".", changed)))
            .as("part " + part + " with " + bad)
            .isEmpty();
      }
    }
    assertThat(crypto.open("session", sealed + ".")).isEmpty();
    assertThat(crypto.open("session", sealed.substring(0, sealed.lastIndexOf('.')))).isEmpty();
    assertThat(crypto.open("session", sealed)).contains("{\"sub\":\"alice\"}");
  }
}
