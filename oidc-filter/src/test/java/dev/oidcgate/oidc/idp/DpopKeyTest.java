package dev.oidcgate.oidc.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import org.junit.jupiter.api.Test;

class DpopKeyTest {

  @Test
  void aProofNamesTheRequestWithoutItsQueryAndCarriesOnlyThePublicKey() throws Exception {
    DpopKey key = DpopKey.generate();
    SignedJWT proof =
        key.proof(
            "POST",
            URI.create("https://api.example.com:8443/orders/1?x=2#f"),
            new DPoPAccessToken("the-token"),
            new Nonce("n-1"));

    assertThat(proof.getHeader().getType().getType()).isEqualTo("dpop+jwt");
    ECKey jwk = (ECKey) proof.getHeader().getJWK();
    assertThat(jwk.isPrivate()).isFalse();
    assertThat(proof.verify(new ECDSAVerifier(jwk))).isTrue();
    assertThat(jwk.computeThumbprint().toString()).isEqualTo(key.thumbprint());
    JWTClaimsSet claims = proof.getJWTClaimsSet();
    assertThat(claims.getStringClaim("htm")).isEqualTo("POST");
    assertThat(claims.getStringClaim("htu")).isEqualTo("https://api.example.com:8443/orders/1");
    assertThat(claims.getStringClaim("nonce")).isEqualTo("n-1");
    assertThat(claims.getStringClaim("ath"))
        .isEqualTo(
            Base64URL.encode(
                    MessageDigest.getInstance("SHA-256")
                        .digest("the-token".getBytes(StandardCharsets.US_ASCII)))
                .toString());
  }

  @Test
  void everyProofIsFresh() {
    DpopKey key = DpopKey.generate();
    URI url = URI.create("https://idp.example.com/token");
    assertThat(key.proof("POST", url, null, null).serialize())
        .isNotEqualTo(key.proof("POST", url, null, null).serialize());
  }

  @Test
  void theKeySurvivesItsJsonFormAndItsToStringHasNoPrivatePart() throws Exception {
    DpopKey key = DpopKey.generate();
    DpopKey back = DpopKey.parse(key.toJson());
    assertThat(back.thumbprint()).isEqualTo(key.thumbprint());
    String d = ECKey.parse(key.toJson()).getD().toString();
    assertThat(key.toString()).doesNotContain(d).contains(key.thumbprint());
  }

  @Test
  void aPublicOrForeignKeyIsNotASessionKey() throws Exception {
    String publicOnly = ECKey.parse(DpopKey.generate().toJson()).toPublicJWK().toJSONString();
    assertThatThrownBy(() -> DpopKey.parse(publicOnly)).isInstanceOf(ParseException.class);
    String rsa = new RSAKeyGenerator(2048).generate().toJSONString();
    assertThatThrownBy(() -> DpopKey.parse(rsa)).isInstanceOf(ParseException.class);
    assertThat(DpopKey.ofSession("not json")).isNull();
    assertThat(DpopKey.ofSession(null)).isNull();
  }
}
