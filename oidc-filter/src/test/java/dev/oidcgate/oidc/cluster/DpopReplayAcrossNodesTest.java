package dev.oidcgate.oidc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes behind one public URL ({@code externalUrl}) sharing a real Redis: a DPoP proof used on
 * one node is refused on the other, and a server nonce handed out by one is accepted by the other.
 */
@Timeout(90)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class DpopReplayAcrossNodesTest {

  private static final URI PUBLIC = URI.create("https://api.example.com/app/resource");

  private static RedisServer redis;
  private TestIdp idp;
  private FilterServers apps;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startNew();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  private FilterServer node(Map<String, String> extra) throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("externalUrl", "https://api.example.com");
    p.put("sessionSecret", "0123456789abcdef0123456789abcdef-shared");
    p.put("redisUri", redis.uri());
    p.put("redisTimeout", "2s");
    p.putAll(extra);
    return apps.start(p);
  }

  private static HttpResponse<String> call(FilterServer node, String token, String proof)
      throws Exception {
    return node.get("/resource", "Authorization", "DPoP " + token, "DPoP", proof);
  }

  @Test
  void aProofUsedOnOneNodeIsRefusedOnTheOther() throws Exception {
    FilterServer a = node(Map.of());
    FilterServer b = node(Map.of());
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String jkt = key.computeThumbprint().toString();
    String token = idp.rs256(c -> c.claim("cnf", Map.of("jkt", jkt)));
    String proof =
        new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
            .createDPoPJWT("GET", PUBLIC, new DPoPAccessToken(token))
            .serialize();
    assertThat(call(a, token, proof).statusCode()).isEqualTo(200);
    HttpResponse<String> replay = call(b, token, proof);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("DPoP ")
        .contains("error=\"invalid_dpop_proof\"")
        .contains("used before");
    assertThat(b.appRequests()).isZero();
  }

  @Test
  void aNonceHandedOutByOneNodeIsAcceptedByTheOther() throws Exception {
    FilterServer a = node(Map.of("dpopNonce", "on"));
    FilterServer b = node(Map.of("dpopNonce", "on"));
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String jkt = key.computeThumbprint().toString();
    String token = idp.rs256(c -> c.claim("cnf", Map.of("jkt", jkt)));
    DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
    HttpResponse<String> first =
        call(a, token, proofs.createDPoPJWT("GET", PUBLIC, new DPoPAccessToken(token)).serialize());
    assertThat(first.statusCode()).isEqualTo(401);
    String nonce = first.headers().firstValue("DPoP-Nonce").orElseThrow();
    String withNonce =
        proofs
            .createDPoPJWT("GET", PUBLIC, new DPoPAccessToken(token), new Nonce(nonce))
            .serialize();
    assertThat(call(b, token, withNonce).statusCode()).isEqualTo(200);
  }
}
