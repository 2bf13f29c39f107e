package dev.oidcgate.oidcprovider;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static dev.oidcgate.oidcprovider.OpSignIn.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client authentication with keys, PAR and JAR against oidc-provider (OpenID Certified), through
 * its own login and consent pages: each client registers what it requires, the filter (in Jetty) is
 * configured to meet it, and the same filter with the feature off gets a clear error page.
 */
@ExtendWith(FilterServerExtension.class)
class OidcProviderHighSecurityIT {

  private static OidcProviderServer op;
  private static OidcProviderServer parOnlyOp;

  @TempDir static Path keys;

  @BeforeAll
  @Timeout(360)
  static void startProvider() throws Exception {
    op = SharedProvider.get(); // stopped when the test JVM exits
  }

  @AfterAll
  static void stopParOnlyProvider() {
    if (parOnlyOp != null) {
      parOnlyOp.close();
    }
  }

  private static Path keyFile(RSAKey key) throws Exception {
    return Files.writeString(keys.resolve(key.computeThumbprint() + ".jwk"), key.toJSONString());
  }

  /** The filter's settings: the client's, and the signing key, with the JWKS at /jwks. */
  private static Map<String, String> withKey(AppClient client, String issuer, RSAKey key)
      throws Exception {
    Map<String, String> p = client.filterSettings(issuer);
    p.put("clientSigningKey", keyFile(key).toString());
    p.put("clientJwksPath", "/jwks");
    return p;
  }

  /** What a test's client registers beyond {@link AppClient#metadata}. */
  @FunctionalInterface
  private interface Registration {
    /** Changes {@code metadata}; {@code filterJwks} is the started filter's JWKS URI. */
    void amend(Map<String, Object> metadata, String filterJwks);
  }

  /**
   * Starts the filter with {@code settings}, then registers {@code client} at the OP with its
   * metadata amended by {@code registration} (the filter's port gives its URIs).
   */
  private static FilterServer startAndRegister(
      FilterServers servers,
      AppClient client,
      Map<String, String> settings,
      Registration registration)
      throws Exception {
    FilterServer app = servers.start(settings);
    Map<String, Object> metadata = client.metadata(app);
    registration.amend(metadata, app.uri("/jwks").toString());
    op.register(metadata);
    return app;
  }

  /** A private_key_jwt client whose keys are the ones the filter serves at its JWKS path. */
  private static void privateKeyJwt(Map<String, Object> metadata, String filterJwks) {
    metadata.remove("client_secret");
    metadata.put("token_endpoint_auth_method", "private_key_jwt");
    metadata.put("jwks_uri", filterJwks);
  }

  /** The first redirect of a login, to the OP's authorization endpoint: its query. */
  private static Map<String, String> authorizationQuery(FilterServer app, String issuer)
      throws Exception {
    HttpResponse<String> first = new TestBrowser().get(app.uri("/resource"));
    assertThat(first.statusCode()).isEqualTo(302);
    URI authorize = location(first);
    assertThat(authorize.toString()).startsWith(issuer + "/auth?");
    return query(authorize);
  }

  private static void signsInAsAlice(FilterServer app, String issuer) throws Exception {
    HttpResponse<String> page =
        OpSignIn.signIn(new TestBrowser(), app, issuer, "/resource?x=1", "alice");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(seen(page).get("principal")).isEqualTo("alice");
  }

  /**
   * A login the OP refuses at its authorization endpoint: it sends the browser back with an error,
   * and the filter's callback shows its login error page.
   */
  private static HttpResponse<String> refusedAtTheAuthorizationEndpoint(FilterServer app)
      throws Exception {
    TestBrowser browser = new TestBrowser();
    URI authorize = location(browser.get(app.uri("/resource")));
    HttpResponse<String> refused = browser.get(authorize);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(303);
    URI back = location(refused);
    assertThat(back.toString()).startsWith(app.uri("/callback").toString());
    assertThat(query(back)).containsKey("error").doesNotContainKey("code");
    return browser.get(back);
  }

  @Test
  @Timeout(90)
  void privateKeyJwtClientWhoseJwksUriIsTheFiltersJwksPathSignsIn(FilterServers servers)
      throws Exception {
    AppClient client = new AppClient();
    RSAKey key = new RSAKeyGenerator(2048).generate();
    Map<String, String> settings = withKey(client, op.issuer(), key);
    settings.remove("clientSecret");
    settings.put("tokenEndpointAuthMethod", "private_key_jwt");
    settings.put("clientSigningAlg", "PS256");
    FilterServer app =
        startAndRegister(
            servers,
            client,
            settings,
            (metadata, jwks) -> {
              privateKeyJwt(metadata, jwks);
              metadata.put("token_endpoint_auth_signing_alg", "PS256");
            });

    signsInAsAlice(app, op.issuer());

    HttpResponse<String> jwks = new TestBrowser().get(app.uri("/jwks"));
    assertThat(jwks.statusCode()).isEqualTo(200);
    List<Object> served = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(jwks.body()), "keys");
    assertThat(served).hasSize(1);
    @SuppressWarnings("unchecked")
    JWK servedKey = JWK.parse((Map<String, Object>) served.get(0));
    assertThat(servedKey.isPrivate()).isFalse();
    assertThat(servedKey.computeThumbprint()).isEqualTo(key.computeThumbprint());
  }

  @Test
  @Timeout(90)
  void clientSecretJwtClientSignsIn(FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    Map<String, String> settings = client.filterSettings(op.issuer());
    settings.put("tokenEndpointAuthMethod", "client_secret_jwt");
    FilterServer app =
        startAndRegister(
            servers,
            client,
            settings,
            (metadata, jwks) -> metadata.put("token_endpoint_auth_method", "client_secret_jwt"));

    signsInAsAlice(app, op.issuer());
  }

  @Test
  @Timeout(90)
  void aFilterStillOnTheSecretAgainstAPrivateKeyJwtClientGetsTheLoginErrorPage(
      FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    RSAKey key = new RSAKeyGenerator(2048).generate();
    FilterServer app =
        startAndRegister(
            servers,
            client,
            withKey(client, op.issuer(), key),
            OidcProviderHighSecurityIT::privateKeyJwt);

    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = callbackAfterSignIn(browser, app, op.issuer(), "alice");

    assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
    assertThat(page.body()).contains("The identity provider refused the code exchange");
  }

  @Test
  @Timeout(90)
  void aClientThatRequiresParLogsInWithParAlwaysAndTheBrowserCarriesOnlyClientIdAndRequestUri(
      FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    Map<String, String> settings = client.filterSettings(op.issuer());
    settings.put("pushedAuthorizationRequests", "always");
    FilterServer app =
        startAndRegister(
            servers,
            client,
            settings,
            (metadata, jwks) -> metadata.put("require_pushed_authorization_requests", true));

    Map<String, String> query = authorizationQuery(app, op.issuer());
    assertThat(query.keySet()).containsExactlyInAnyOrder("client_id", "request_uri");
    assertThat(query.get("client_id")).isEqualTo(client.id);
    assertThat(query.get("request_uri")).startsWith("urn:ietf:params:oauth:request_uri:");

    signsInAsAlice(app, op.issuer());
  }

  @Test
  @Timeout(90)
  void theSameFilterWithParNeverGetsTheLoginErrorPageFromAClientThatRequiresIt(
      FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    Map<String, String> settings = client.filterSettings(op.issuer());
    settings.put("pushedAuthorizationRequests", "never");
    FilterServer app =
        startAndRegister(
            servers,
            client,
            settings,
            (metadata, jwks) -> metadata.put("require_pushed_authorization_requests", true));

    HttpResponse<String> page = refusedAtTheAuthorizationEndpoint(app);

    assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
    assertThat(page.body())
        .contains("The identity provider did not complete the login (invalid_request)");
  }

  @Test
  @Timeout(90)
  void aPushTheProviderRefusesShowsTheLoginErrorPageWithItsErrorCodeNot500(FilterServers servers)
      throws Exception {
    AppClient client = new AppClient();
    RSAKey key = new RSAKeyGenerator(2048).generate();
    Map<String, String> settings = withKey(client, op.issuer(), key);
    settings.put("pushedAuthorizationRequests", "always"); // but still the secret, not the key
    FilterServer app =
        startAndRegister(servers, client, settings, OidcProviderHighSecurityIT::privateKeyJwt);

    HttpResponse<String> page = new TestBrowser().get(app.uri("/resource"));

    assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
    assertThat(page.body())
        .contains("The identity provider refused the pushed authorization request (invalid_client)")
        .doesNotContain("Exception");
  }

  @Test
  @Timeout(180)
  void withAutoTheFilterPushesWhenTheProvidersMetadataRequiresPar(FilterServers servers)
      throws Exception {
    OidcProviderServer parOnly = parOnlyProvider();
    AppClient client = new AppClient();
    FilterServer app = servers.start(client.filterSettings(parOnly.issuer()));
    client.register(parOnly, app);

    Map<String, String> query = authorizationQuery(app, parOnly.issuer());
    assertThat(query.keySet()).containsExactlyInAnyOrder("client_id", "request_uri");

    signsInAsAlice(app, parOnly.issuer());
  }

  @Test
  @Timeout(90)
  void aClientThatRequiresSignedRequestObjectsSignsInWithRequestObjectSigned(FilterServers servers)
      throws Exception {
    AppClient client = new AppClient();
    RSAKey key = new RSAKeyGenerator(2048).generate();
    Map<String, String> settings = withKey(client, op.issuer(), key);
    settings.put("requestObject", "signed");
    settings.put("pushedAuthorizationRequests", "never");
    FilterServer app =
        startAndRegister(
            servers,
            client,
            settings,
            (metadata, jwks) -> {
              metadata.put("require_signed_request_object", true);
              metadata.put("request_object_signing_alg", "RS256");
              metadata.put("jwks_uri", jwks);
            });

    Map<String, String> query = authorizationQuery(app, op.issuer());
    assertThat(query.keySet()).containsExactlyInAnyOrder("client_id", "request");
    SignedJWT request = SignedJWT.parse(query.get("request"));
    assertThat(request.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
    assertThat(request.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(request.getHeader().getType().getType()).isEqualTo("oauth-authz-req+jwt");
    JWTClaimsSet claims = request.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(client.id);
    assertThat(claims.getAudience()).containsExactly(op.issuer());
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getNotBeforeTime()).isNotNull();
    assertThat(
            Duration.between(
                claims.getNotBeforeTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(claims.getClaims())
        .containsKeys("state", "nonce", "code_challenge", "redirect_uri", "scope")
        .containsEntry("response_type", "code")
        .containsEntry("client_id", client.id);

    signsInAsAlice(app, op.issuer());
  }

  @Test
  @Timeout(90)
  void signedRequestObjectsArePushedWhenParIsOnToo(FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    RSAKey key = new RSAKeyGenerator(2048).generate();
    Map<String, String> settings = withKey(client, op.issuer(), key);
    settings.put("requestObject", "signed");
    settings.put("pushedAuthorizationRequests", "always");
    settings.remove("clientSecret");
    settings.put("tokenEndpointAuthMethod", "private_key_jwt");
    FilterServer app =
        startAndRegister(
            servers,
            client,
            settings,
            (metadata, jwks) -> {
              privateKeyJwt(metadata, jwks);
              metadata.put("require_signed_request_object", true);
              metadata.put("require_pushed_authorization_requests", true);
              metadata.put("request_object_signing_alg", "RS256");
            });

    Map<String, String> query = authorizationQuery(app, op.issuer());
    assertThat(query.keySet()).containsExactlyInAnyOrder("client_id", "request_uri");

    signsInAsAlice(app, op.issuer());
  }

  @Test
  @Timeout(90)
  void theSameFilterWithoutRequestObjectsGetsTheLoginErrorPageFromAClientThatRequiresThem(
      FilterServers servers) throws Exception {
    AppClient client = new AppClient();
    Map<String, String> settings = client.filterSettings(op.issuer());
    settings.put("pushedAuthorizationRequests", "never");
    RSAKey otherKey = new RSAKeyGenerator(2048).generate();
    FilterServer app =
        startAndRegister(
            servers,
            client,
            settings,
            (metadata, jwks) -> {
              metadata.put("require_signed_request_object", true);
              metadata.put("request_object_signing_alg", "RS256");
              metadata.put("jwks", Map.of("keys", List.of(otherKey.toPublicJWK().toJSONObject())));
            });

    HttpResponse<String> page = refusedAtTheAuthorizationEndpoint(app);

    assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
    assertThat(page.body())
        .contains("The identity provider did not complete the login (invalid_request)");
  }

  /**
   * Through the OP's login and consent pages to the filter's callback, whose answer is returned as
   * it is (an error page, say).
   */
  private static HttpResponse<String> callbackAfterSignIn(
      TestBrowser browser, FilterServer app, String issuer, String user) throws Exception {
    URI authorize = location(browser.get(app.uri("/resource")));
    assertThat(authorize.toString()).startsWith(issuer + "/auth?");
    HttpResponse<String> loginPage =
        browser.get(location(OpSignIn.expectRedirect(browser.get(authorize))));
    URI resume =
        location(
            OpSignIn.expectRedirect(
                browser.postForm(
                    OpSignIn.formAction(loginPage),
                    "prompt=login&login=" + user + "&password=any-password")));
    HttpResponse<String> consentPage =
        browser.get(location(OpSignIn.expectRedirect(browser.get(resume))));
    URI resumeAgain =
        location(
            OpSignIn.expectRedirect(
                browser.postForm(OpSignIn.formAction(consentPage), "prompt=consent")));
    URI callback = location(OpSignIn.expectRedirect(browser.get(resumeAgain)));
    assertThat(callback.toString()).startsWith(app.uri("/callback").toString());
    dev.oidcgate.testlogs.SecretLedger.record("authorization code", query(callback).get("code"));
    return browser.get(callback);
  }

  private static synchronized OidcProviderServer parOnlyProvider() throws Exception {
    if (parOnlyOp == null) {
      Path logs = Path.of(System.getProperty("op.logs"));
      OidcProviderServer starting =
          new OidcProviderServer(Path.of(System.getProperty("op.dir")), logs.resolve("op-par.log"));
      try {
        starting.start("[]", Duration.ofSeconds(60), Map.of("OP_REQUIRE_PAR", "on"));
      } catch (Exception | Error e) {
        starting.close();
        throw e;
      }
      parOnlyOp = starting;
    }
    return parOnlyOp;
  }
}
