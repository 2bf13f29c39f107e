package dev.oidcgate.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.ProviderStandIn;
import dev.oidcgate.oidc.testsupport.ProviderStandIn.Kind;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ID token is never an access token, also when it names the filter's audience (the client id)
 * and carries neither {@code nonce} nor {@code typ}; real access tokens of each provider profile
 * still pass. Tokens are shaped as each provider issues them (claims from the providers'
 * documentation, as in {@link ProviderStandIn}) and sent as bearer tokens through the filter.
 */
@Timeout(60)
@ExtendWith({FilterServerExtension.class})
class IdTokenAsAccessTokenTest {

  /** One provider's token, and the settings its filter is configured with. */
  record Shape(
      String name,
      Kind kind,
      Map<String, String> settings,
      Function<ProviderStandIn, String> token) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String CLIENT_ID = ProviderStandIn.CLIENT_ID;

  private ProviderStandIn idp;
  private TestIdp testIdp;
  private FilterServers apps;
  private FilterServer app;

  static Stream<Shape> accessTokens() {
    Map<String, Object> entraAppOnly = new HashMap<>();
    entraAppOnly.put("scp", null); // client credentials: roles, no scp
    entraAppOnly.put("idtyp", "app");
    return Stream.of(
        new Shape("Cognito", Kind.COGNITO, Map.of(), p -> p.accessToken("alice", Map.of())),
        new Shape("Entra ID", Kind.ENTRA, Map.of(), p -> p.accessToken("alice", Map.of())),
        new Shape(
            "Entra ID app-only", Kind.ENTRA, Map.of(), p -> p.accessToken("svc", entraAppOnly)),
        new Shape("Keycloak", Kind.KEYCLOAK, Map.of(), p -> p.accessToken("alice", Map.of())),
        new Shape(
            "Okta (aud api://default)",
            Kind.OKTA,
            Map.of("audience", "api://default, " + CLIENT_ID),
            p -> p.accessToken("alice", Map.of())),
        new Shape(
            "Okta (aud the client id)",
            Kind.OKTA,
            Map.of(),
            p -> p.accessToken("alice", Map.of("aud", CLIENT_ID))),
        new Shape(
            "Auth0",
            Kind.AUTH0,
            Map.of("audience", "https://api.example.com, " + CLIENT_ID),
            p -> p.accessToken("alice", Map.of())));
  }

  static Stream<Shape> idTokens() {
    return Stream.of(
        new Shape("Cognito", Kind.COGNITO, Map.of(), p -> p.idToken("alice")),
        new Shape("Entra ID", Kind.ENTRA, Map.of(), p -> p.idToken("alice")),
        new Shape("Keycloak", Kind.KEYCLOAK, Map.of(), p -> p.idToken("alice")),
        new Shape(
            "Okta",
            Kind.OKTA,
            Map.of("audience", "api://default, " + CLIENT_ID),
            p -> p.idToken("alice")),
        new Shape(
            "Auth0",
            Kind.AUTH0,
            Map.of("audience", "https://api.example.com, " + CLIENT_ID),
            p -> p.idToken("alice")),
        // Google's access tokens are opaque; its profile takes sessions only unless told.
        new Shape(
            "Google",
            Kind.GOOGLE,
            Map.of("credentials", "session bearer"),
            p -> p.idToken("alice")));
  }

  private HttpResponse<String> send(Shape shape) throws Exception {
    idp = apps.closeAfter(new ProviderStandIn(shape.kind()));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", CLIENT_ID);
    p.put("clientSecret", ProviderStandIn.CLIENT_SECRET);
    p.putAll(shape.settings());
    app = apps.start(p);
    return app.getWithToken(shape.token().apply(idp));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accessTokens")
  void aProvidersRealAccessTokenPasses(Shape shape) throws Exception {
    assertThat(send(shape).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("idTokens")
  void aProvidersIdTokenWithoutNonceIsRefusedAsAccessToken(Shape shape) throws Exception {
    HttpResponse<String> r = send(shape);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"invalid_token\"");
  }

  /** panva's {@code oidc-provider}: a JWT access token is {@code typ: at+jwt} (RFC 9068). */
  @Test
  void oidcProvidersJwtAccessTokenPasses() throws Exception {
    startTestIdp();
    JWTClaimsSet claims =
        common()
            .claim("client_id", TestIdp.CLIENT_ID)
            .claim("scope", "openid profile api:read")
            .build();

    HttpResponse<String> r = app.getWithToken(sign(new JOSEObjectType("at+jwt"), claims));

    assertThat(r.statusCode()).isEqualTo(200);
  }

  /** {@code oidc-provider}'s ID token of a login that sent no nonce: no nonce, no typ. */
  @Test
  void oidcProvidersIdTokenWithoutNonceAndTypIsRefused() throws Exception {
    startTestIdp();
    JWTClaimsSet claims =
        common()
            .claim("auth_time", System.currentTimeMillis() / 1000 - 60)
            .claim("sid", UUID.randomUUID().toString())
            .claim("email", "alice@example.com")
            .build();

    HttpResponse<String> r = app.getWithToken(sign(null, claims));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"invalid_token\"")
        .contains("An ID token is not an access token");
  }

  private void startTestIdp() throws Exception {
    testIdp = apps.closeAfter(new TestIdp().serveAll());
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", testIdp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    app = apps.start(p);
  }

  private JWTClaimsSet.Builder common() {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder()
        .issuer(testIdp.issuer())
        .subject("alice")
        .audience(TestIdp.CLIENT_ID)
        .issueTime(new Date(now - 1000))
        .expirationTime(new Date(now + 300_000))
        .jwtID(UUID.randomUUID().toString());
  }

  private String sign(JOSEObjectType type, JWTClaimsSet claims) {
    JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(testIdp.rsa.getKeyID());
    if (type != null) {
      h.type(type);
    }
    return TestIdp.sign(testIdp.rsa, h.build(), claims);
  }
}
