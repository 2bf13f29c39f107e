package dev.oidcgate.oidc.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalCompactTest {

  @Test
  void unpaddedBase64urlPartsWithZeroUnusedBitsAreCanonical() {
    for (String ok : new String[] {"", "QQ.AA.gg", "AAAA.AA.AAA", "eyJ9..AQ", "-_-_"}) {
      assertThat(CanonicalCompact.isCanonical(ok)).as(ok).isTrue();
    }
  }

  @Test
  void otherSpellingsThatNimbusWouldDecodeToTheSameBytesAreNot() {
    // Each of these decodes, leniently, to the bytes of "AAAA.AA.AAA" or "-_-_".
    for (String bad :
        new String[] {
          "AAAA~.AA.AAA", "AAAA.AA=.AAA", "AAAA.AB.AAA", "AAAA.AA.AAB", "+/+/", "AA AA", "AAAAA"
        }) {
      assertThat(CanonicalCompact.isCanonical(bad)).as(bad).isFalse();
    }
  }
}
