package dev.oidcgate.oidc;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The filter as a resource server for DPoP-bound access tokens (RFC 9449 §7), in a real Jetty,
 * against the IdP stand-in over HTTP: tokens bound with {@code cnf.jkt}, proofs made with Nimbus's
 * {@link DefaultDPoPProofFactory}, each hostile variant refused with the status and challenge a
 * client would see.
 */
@Timeout(60)
@ExtendWith({TestIdpExtension.class, FilterServerExtension.class})
class DpopBoundTokensTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;
  private ECKey callerKey;
  private DefaultDPoPProofFactory proofs;

  @BeforeEach
  void callerKey() throws Exception {
    callerKey = new ECKeyGenerator(Curve.P_256).generate();
    proofs = new DefaultDPoPProofFactory(callerKey, JWSAlgorithm.ES256);
  }

  private Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    return p;
  }

  private FilterServer start(Map<String, String> params) throws Exception {
    app = apps.start(params);
    return app;
  }

  /** A token bound to {@code key} by {@code cnf.jkt}. */
  private String boundTo(ECKey key) throws Exception {
    String jkt = key.computeThumbprint().toString();
    return idp.rs256(c -> c.claim("cnf", Map.of("jkt", jkt)));
  }

  private String proof(String method, URI url, String token) throws Exception {
    return proofs.createDPoPJWT(method, url, new DPoPAccessToken(token)).serialize();
  }

  private HttpResponse<String> send(String method, URI url, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> getWithDpop(String token, String proof) throws Exception {
    return send("GET", app.uri("/resource"), "Authorization", "DPoP " + token, "DPoP", proof);
  }

  private static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse("");
  }

  private static void assertRefusedWith(HttpResponse<String> r, String error, String reason) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r))
        .startsWith("DPoP realm=\"oidc-gate\", algs=\"ES256")
        .contains("error=\"" + error + "\"")
        .contains(reason);
    assertThat(r.body()).contains("\"error\":\"" + error + "\"").doesNotContain("eyJ");
  }

  @Test
  void aBoundTokenWithItsProofReachesTheAppWithoutTheProof() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    HttpResponse<String> r = getWithDpop(token, proof("GET", app.uri("/resource"), token));
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> seen = seen(r);
    assertThat(seen.get("principal")).isEqualTo("alice");
    Map<?, ?> headers = (Map<?, ?>) seen.get("headers");
    assertThat(headers.containsKey("dpop")).as("the caller's proof is not passed on").isFalse();
    assertThat(String.valueOf(headers.get("authorization"))).doesNotStartWith("[DPoP");
  }

  @Test
  void aProofIsCheckedForThePostMethodItNames() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    URI url = app.uri("/resource");
    HttpResponse<String> r =
        send("POST", url, "Authorization", "DPoP " + token, "DPoP", proof("POST", url, token));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void aReplayedProofIsRefusedOnTheSameNode() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    String proof = proof("GET", app.uri("/resource"), token);
    assertThat(getWithDpop(token, proof).statusCode()).isEqualTo(200);
    assertRefusedWith(getWithDpop(token, proof), "invalid_dpop_proof", "used before");
  }

  @Test
  void aProofForAnotherMethodIsRefused() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    assertRefusedWith(
        getWithDpop(token, proof("POST", app.uri("/resource"), token)),
        "invalid_dpop_proof",
        "another HTTP method");
  }

  @Test
  void aProofForAnotherUrlIsRefused() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    assertRefusedWith(
        getWithDpop(token, proof("GET", app.uri("/other"), token)),
        "invalid_dpop_proof",
        "another URL");
  }

  @Test
  void aProofSignedByAnotherKeyIsRefused() throws Exception {
    start(params());
    String token = boundTo(new ECKeyGenerator(Curve.P_256).generate());
    assertRefusedWith(
        getWithDpop(token, proof("GET", app.uri("/resource"), token)),
        "invalid_token",
        "signed by another key");
  }

  @Test
  void aStaleOrFutureIatIsRefused() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    URI url = app.uri("/resource");
    long now = System.currentTimeMillis();
    for (long iat : new long[] {now - 5 * 60_000, now + 5 * 60_000}) {
      String proof =
          proofs
              .createDPoPJWT(new JWTID(), "GET", url, new Date(iat), new DPoPAccessToken(token))
              .serialize();
      assertRefusedWith(getWithDpop(token, proof), "invalid_dpop_proof", "too old or from");
    }
  }

  @Test
  void aProofWithoutAthIsRefused() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    String proof = proofs.createDPoPJWT("GET", app.uri("/resource")).serialize();
    assertRefusedWith(getWithDpop(token, proof), "invalid_dpop_proof", "ath");
  }

  @Test
  void aProofForAnotherTokenIsRefused() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    String other = boundTo(callerKey);
    assertRefusedWith(
        getWithDpop(token, proof("GET", app.uri("/resource"), other)), "invalid_dpop_proof", "ath");
  }

  @Test
  void theDpopSchemeWithoutAProofIsRefused() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    assertRefusedWith(
        send("GET", app.uri("/resource"), "Authorization", "DPoP " + token),
        "invalid_dpop_proof",
        "no DPoP proof");
  }

  @Test
  void aBoundTokenSentAsBearerIsRefused() throws Exception {
    start(params());
    String token = boundTo(callerKey);
    assertRefusedWith(
        app.getWithToken(token, "DPoP", proof("GET", app.uri("/resource"), token)),
        "invalid_token",
        "must be sent with the DPoP scheme");
    assertThat(app.appRequests()).isZero();
  }

  @Test
  void anUnboundTokenSentWithTheDpopSchemeIsRefused() throws Exception {
    start(params());
    String token = idp.rs256(c -> {});
    assertRefusedWith(
        getWithDpop(token, proof("GET", app.uri("/resource"), token)),
        "invalid_token",
        "not bound to a DPoP key");
  }

  @Test
  void refuseModeRefusesTheDpopSchemeAndBoundTokensButPassesBearerTokens() throws Exception {
    Map<String, String> p = params();
    p.put("dpopTokens", "refuse");
    start(p);
    String token = boundTo(callerKey);
    HttpResponse<String> dpop = getWithDpop(token, proof("GET", app.uri("/resource"), token));
    assertThat(dpop.statusCode()).isEqualTo(401);
    assertThat(challenge(dpop)).isEqualTo("Bearer realm=\"oidc-gate\"");
    assertThat(app.getWithToken(token).statusCode()).isEqualTo(401);
    assertThat(app.getWithToken(idp.rs256(c -> {})).statusCode()).isEqualTo(200);
  }

  @Test
  void requireModeRefusesPlainBearerTokensAndPassesBoundOnes() throws Exception {
    Map<String, String> p = params();
    p.put("dpopTokens", "require");
    start(p);
    assertRefusedWith(
        app.getWithToken(idp.rs256(c -> {})), "invalid_token", "Only DPoP-bound tokens");
    String token = boundTo(callerKey);
    assertThat(getWithDpop(token, proof("GET", app.uri("/resource"), token)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void withServerNoncesAProofWithoutTheNonceGetsOneAndTheRetryPasses() throws Exception {
    Map<String, String> p = params();
    p.put("dpopNonce", "on");
    start(p);
    String token = boundTo(callerKey);
    URI url = app.uri("/resource");
    HttpResponse<String> first = getWithDpop(token, proof("GET", url, token));
    assertRefusedWith(first, "use_dpop_nonce", "nonce");
    String nonce = first.headers().firstValue("DPoP-Nonce").orElseThrow();
    HttpResponse<String> wrong =
        getWithDpop(
            token,
            proofs
                .createDPoPJWT("GET", url, new DPoPAccessToken(token), new Nonce("not-ours"))
                .serialize());
    assertRefusedWith(wrong, "use_dpop_nonce", "nonce");
    HttpResponse<String> retry =
        getWithDpop(
            token,
            proofs
                .createDPoPJWT("GET", url, new DPoPAccessToken(token), new Nonce(nonce))
                .serialize());
    assertThat(retry.statusCode()).isEqualTo(200);
  }

  @Test
  void theProofMustNameThePublicUrlWhenExternalUrlIsSet() throws Exception {
    Map<String, String> p = params();
    p.put("externalUrl", "https://api.example.com/portal");
    start(p);
    String token = boundTo(callerKey);
    assertRefusedWith(
        getWithDpop(token, proof("GET", app.uri("/resource"), token)),
        "invalid_dpop_proof",
        "another URL");
    String publicProof = proof("GET", URI.create("https://api.example.com/portal/resource"), token);
    assertThat(getWithDpop(token, publicProof).statusCode()).isEqualTo(200);
  }

  @Test
  void anIntrospectedTokenIsBoundByTheCnfOfTheIntrospectionResponse() throws Exception {
    String jkt = callerKey.computeThumbprint().toString();
    idp.serveIntrospection(
        "{\"active\":true,\"sub\":\"alice\",\"aud\":\""
            + TestIdp.CLIENT_ID
            + "\",\"iss\":\""
            + idp.issuer()
            + "\",\"exp\":"
            + (System.currentTimeMillis() / 1000 + 300)
            + ",\"cnf\":{\"jkt\":\""
            + jkt
            + "\"}}");
    start(params());
    String opaque = "opaque-dpop-bound-token-0123456789";
    assertRefusedWith(
        app.getWithToken(opaque), "invalid_token", "must be sent with the DPoP scheme");
    assertThat(getWithDpop(opaque, proof("GET", app.uri("/resource"), opaque)).statusCode())
        .isEqualTo(200);
  }
}
