package dev.oidcgate.oidc.cluster;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Two app nodes (two Jetty servers, each with its own {@code OidcFilter}) behind one imagined load
 * balancer, sharing one real Redis and one test OP. Both listen on 127.0.0.1, so a browser's
 * cookies go to both, as behind a balancer.
 */
final class TwoNodes {

  static final String SECRET = "a-session-secret-of-at-least-32-characters";

  final TestAuthServer op;
  final FilterServer a;
  final FilterServer b;
  private final HttpClient idpSide =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param apps starts the nodes and stops them when the test ends
   * @param store the {@code sessionStore} of both nodes
   * @param extra more init-params for both
   */
  TwoNodes(
      FilterServers apps,
      TestAuthServer op,
      RedisServer redis,
      String store,
      Map<String, String> extra)
      throws Exception {
    this.op = op;
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("issuer", op.issuer());
    p.put("clientId", TestAuthServer.CLIENT_ID);
    p.put("clientSecret", TestAuthServer.CLIENT_SECRET);
    p.put("sessionSecret", SECRET);
    p.put("sessionStore", store);
    p.put("redisUri", redis.uri());
    p.put("redisTimeout", "2s"); // a first connection on a busy machine may take a while
    p.putAll(extra);
    this.a = apps.start(p);
    this.b = apps.start(p);
  }

  /** Signs in through node A and returns the browser, now holding the session cookie. */
  TestBrowser signIn() throws Exception {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> page = browser.navigate(a.uri("/resource"));
    if (page.statusCode() != 200) {
      throw new AssertionError("login failed: " + page.statusCode() + " " + page.body());
    }
    return browser;
  }

  /** The status a browser gets for a protected page on a node (200 signed in, 302 to log in). */
  static int status(TestBrowser browser, FilterServer node) throws Exception {
    return browser.get(node.uri("/resource")).statusCode();
  }

  /** A valid logout token for {@code alice}, changed by {@code claims} and {@code header}. */
  String logoutToken(Consumer<JWTClaimsSet.Builder> claims, Consumer<JWSHeader.Builder> header) {
    long now = System.currentTimeMillis();
    JWTClaimsSet.Builder c =
        new JWTClaimsSet.Builder()
            .issuer(op.issuer())
            .subject("alice")
            .audience(TestAuthServer.CLIENT_ID)
            .issueTime(new Date(now))
            .expirationTime(new Date(now + 120_000))
            .jwtID(UUID.randomUUID().toString())
            .claim(
                "events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
    claims.accept(c);
    JWSHeader.Builder h =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(op.signingKey().getKeyID())
            .type(new JOSEObjectType("logout+jwt"));
    header.accept(h);
    return TestIdp.sign(op.signingKey(), h.build(), c.build());
  }

  String logoutToken(Consumer<JWTClaimsSet.Builder> claims) {
    return logoutToken(claims, h -> {});
  }

  /** What the IdP does: POSTs {@code logout_token} to the node's back-channel logout URI. */
  HttpResponse<String> postLogoutToken(FilterServer node, String token) throws Exception {
    return postForm(node, "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  HttpResponse<String> postForm(FilterServer node, String form) throws Exception {
    return idpSide.send(
        HttpRequest.newBuilder(node.uri("/backchannel-logout"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  List<FilterServer> both() {
    return List.of(a, b);
  }
}
