package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clientJwksPath}: the client's public keys for a provider that reads its {@code jwks_uri},
 * served by the filter in Jetty; never a private member of any key type.
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class ClientJwksPathTest {

  /** Every private member of an RSA, EC, OKP or symmetric JWK (RFC 7517, 7518, 8037). */
  private static final Set<String> PRIVATE_MEMBERS =
      Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  @TempDir Path dir;
  private TestAuthServer op;
  private FilterServers apps;

  private FilterServer appWith(JWK key) throws Exception {
    Path file = Files.writeString(dir.resolve(key.getKeyType() + ".jwk"), key.toJSONString());
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("clientSigningKey", file.toString());
    p.put("clientJwksPath", "/jwks");
    return apps.start(p);
  }

  @Test
  void theJwksPathServesEachKeyTypesPublicHalfAndNeverAPrivateMember() throws Exception {
    for (JWK key :
        List.of(
            new RSAKeyGenerator(2048).generate(),
            new ECKeyGenerator(Curve.P_256).generate(),
            new OctetKeyPairGenerator(Curve.Ed25519).generate())) {
      FilterServer app = appWith(key);
      HttpResponse<String> r = new TestBrowser().get(app.uri("/jwks"));

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/jwk-set+json");
      List<Object> keys = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(r.body()), "keys");
      assertThat(keys).hasSize(1);
      @SuppressWarnings("unchecked")
      Map<String, Object> served = (Map<String, Object>) keys.get(0);
      assertThat(served.keySet())
          .as(key.getKeyType().getValue())
          .doesNotContainAnyElementsOf(PRIVATE_MEMBERS);
      assertThat(served).containsEntry("kid", key.computeThumbprint().toString());
      assertThat(served).containsEntry("use", "sig");
      assertThat(JWK.parse(served).computeThumbprint()).isEqualTo(key.computeThumbprint());
      assertThat(r.body()).doesNotContain(privatePart(key));
    }
  }

  @Test
  void onlyGetAndHeadAreAnsweredThere() throws Exception {
    FilterServer app = appWith(new ECKeyGenerator(Curve.P_256).generate());
    HttpResponse<String> post =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(app.uri("/jwks"))
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void withoutClientJwksPathTheKeyIsNotServedAnywhere() throws Exception {
    JWK key = new RSAKeyGenerator(2048).generate();
    Path file = Files.writeString(dir.resolve("k.jwk"), key.toJSONString());
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    p.put("clientSigningKey", file.toString());
    FilterServer app = apps.start(p);
    URI jwks = app.uri("/jwks");
    HttpResponse<String> r = new TestBrowser().get(jwks);
    assertThat(r.statusCode()).as("an ordinary protected path: off to log in").isEqualTo(302);
    assertThat(TestBrowser.location(r).toString()).startsWith(op.issuer());
    assertThat(r.body()).doesNotContain("\"keys\"");
  }

  private static String privatePart(JWK key) {
    Object d = key.toJSONObject().get("d");
    return String.valueOf(d);
  }
}
