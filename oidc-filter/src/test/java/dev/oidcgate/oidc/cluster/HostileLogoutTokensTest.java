package dev.oidcgate.oidc.cluster;

import static dev.oidcgate.oidc.cluster.TwoNodes.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.oidc.testsupport.TestIdp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed or hostile logout token sent to a node gets 400 and ends nothing: the session it
 * aims at (sid {@code op-session-1}) still works on both nodes afterwards.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class HostileLogoutTokensTest {

  private static final String SID = "op-session-1";

  private RedisServer redis;
  private TestAuthServer op;
  private FilterServers apps;
  private TwoNodes nodes;
  private TestBrowser browser;

  @BeforeAll
  void start() throws Exception {
    redis = apps.closeAfter(RedisServer.startNew());
    op.idTokenTweak = b -> b.claim("sid", SID);
    nodes = new TwoNodes(apps, op, redis, "redis", Map.of());
    browser = nodes.signIn();
  }

  @AfterEach
  void theSessionStillWorksOnBothNodes() throws Exception {
    for (FilterServer node : nodes.both()) {
      assertThat(status(browser, node)).isEqualTo(200);
    }
  }

  Stream<Arguments> hostileTokens() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(op.signingKey().getKeyID()).generate();
    long now = System.currentTimeMillis();
    Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> sid = c -> c.claim("sid", SID);
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("not a JWT", "not-a-jwt"),
        Arguments.of("three dots of garbage", "a.b.c"),
        Arguments.of("unsigned (alg none)", new PlainJWT(valid(now)).serialize()),
        Arguments.of("HS256 keyed with a guessable secret", hs256(valid(now))),
        Arguments.of(
            "signed by a key the issuer never published",
            TestIdp.sign(attacker, header().build(), valid(now))),
        Arguments.of(
            "attacker key embedded as a jwk header",
            TestIdp.sign(attacker, header().jwk(attacker.toPublicJWK()).build(), valid(now))),
        Arguments.of("encrypted, not signed", encrypted(valid(now))),
        Arguments.of("typ JWT (an ID token's)", token(h -> h.type(JOSEObjectType.JWT), c -> c)),
        Arguments.of(
            "unknown critical header",
            token(h -> h.criticalParams(Set.of("exp-x")).customParam("exp-x", 1), c -> c)),
        Arguments.of("another issuer", token(c -> c.issuer("https://evil.example"))),
        Arguments.of("another audience", token(c -> c.audience("someone-else"))),
        Arguments.of("no events", token(c -> c.claim("events", null))),
        Arguments.of(
            "another event",
            token(
                c -> c.claim("events", Map.of("http://schemas.openid.net/event/other", Map.of())))),
        Arguments.of(
            "event member not an object",
            token(
                c ->
                    c.claim(
                        "events",
                        Map.of("http://schemas.openid.net/event/backchannel-logout", "yes")))),
        Arguments.of("a nonce (an ID token)", token(c -> c.claim("nonce", "n-1"))),
        Arguments.of("neither sub nor sid", token(c -> c.subject(null).claim("sid", null))),
        Arguments.of("sid not a string", token(c -> c.subject(null).claim("sid", 42))),
        Arguments.of("no jti", token(c -> c.jwtID(null))),
        Arguments.of("no iat", token(c -> c.issueTime(null))),
        Arguments.of("iat an hour ago", token(c -> c.issueTime(new Date(now - 3_600_000)))),
        Arguments.of("iat an hour ahead", token(c -> c.issueTime(new Date(now + 3_600_000)))),
        Arguments.of("expired", token(c -> c.expirationTime(new Date(now - 3_600_000)))),
        Arguments.of("oversized", token(c -> c.claim("pad", "x".repeat(20_000)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileTokens")
  void isRefusedWith400AndEndsNothing(String name, String token) throws Exception {
    HttpResponse<String> r = nodes.postLogoutToken(nodes.a, token);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.body()).contains("\"error\":\"invalid_request\"").doesNotContain("Exception");
  }

  @Test
  void aValidTokenSentTwiceInOneFormIsRefused() throws Exception {
    String t = URLEncoder.encode(token(c -> c), StandardCharsets.UTF_8);
    HttpResponse<String> r = nodes.postForm(nodes.b, "logout_token=" + t + "&logout_token=" + t);
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void aGetIsRefusedWith405() throws Exception {
    HttpResponse<String> r = nodes.b.get("/backchannel-logout?logout_token=" + token(c -> c));
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
  }

  private String token(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> claims) {
    return token(h -> h, claims);
  }

  private String token(
      Function<JWSHeader.Builder, JWSHeader.Builder> header,
      Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> claims) {
    return nodes.logoutToken(c -> claims.apply(c.claim("sid", SID)), header::apply);
  }

  private JWTClaimsSet valid(long now) throws ParseException {
    return SignedJWT.parse(nodes.logoutToken(c -> c.claim("sid", SID))).getJWTClaimsSet();
  }

  private JWSHeader.Builder header() {
    return new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(op.signingKey().getKeyID())
        .type(new JOSEObjectType("logout+jwt"));
  }

  private static String hs256(JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("logout+jwt"))
                .build(),
            claims);
    jwt.sign(
        new MACSigner(
            (TestAuthServer.CLIENT_SECRET + "-padded-to-32-bytes!!")
                .getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static String encrypted(JWTClaimsSet claims) throws JOSEException {
    EncryptedJWT jwt =
        new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A128GCM), claims);
    jwt.encrypt(new DirectEncrypter(new byte[16]));
    return jwt.serialize();
  }
}
