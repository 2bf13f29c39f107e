package dev.oidcgate.oidc.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.oidcgate.testlogs.SecretLedger;
import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small OpenID provider for tests, served by a real Jetty on 127.0.0.1: discovery, JWKS, an
 * authorization endpoint that signs in {@link #nextUser} at once, a token endpoint that checks the
 * code, the redirect URI, PKCE S256 and the client secret, refresh, UserInfo, revocation and
 * end-session. Its knobs make it misbehave in the ways a relying party must catch.
 */
public final class TestAuthServer implements AutoCloseable {

  public static final String CLIENT_ID = "web-app";
  public static final String CLIENT_SECRET = "web-app-secret";

  /** Changes to the ID token the next code exchange returns (to test refusals). */
  public volatile Consumer<JWTClaimsSet.Builder> idTokenTweak = b -> {};

  /** Leaves the {@code kid} out of the header of the ID tokens it issues. */
  public volatile boolean idTokenWithoutKid;

  /** Signs ID tokens with another key than the published one. */
  public volatile boolean signWithUnpublishedKey;

  /** Overrides the {@code iss} parameter of the authorization response (RFC 9207). */
  public volatile String authorizationResponseIss;

  /**
   * Whether it sends the {@code iss} response parameter and says so in discovery (RFC 9207); off,
   * it answers as Entra ID, Google and Cognito do.
   */
  public volatile boolean sendsIss = true;

  /**
   * When set, the authorization endpoint signs nobody in but redirects the browser to the URL this
   * makes of the request's parameters (a malicious issuer sending it on to another).
   */
  public volatile Function<Map<String, String>, String> authorizeInstead;

  /**
   * For a JARM {@code response_mode} ({@code jwt}, {@code query.jwt}, {@code form_post.jwt}): makes
   * the {@code response} JWT of its claims (iss, aud, exp, state, code, iss); when null, they are
   * signed with the current signing key (RS256). A test sets it to sign with another key, or to
   * change the claims first.
   */
  public volatile Function<JWTClaimsSet.Builder, String> jarmResponse;

  /** Overrides the UserInfo {@code sub}. */
  public volatile String userInfoSubject;

  /** Access token lifetime in seconds. */
  public volatile int accessTokenLifetime = 300;

  /** Issues opaque access tokens (random strings) instead of JWTs, as Google does. */
  public volatile boolean opaqueAccessTokens;

  /** Whether token responses carry a refresh token. */
  public volatile boolean issueRefreshTokens = true;

  /**
   * How the token endpoint wants the client to authenticate: basic, post or none (public client).
   */
  public volatile String clientAuth = "basic";

  /**
   * Whether a refresh spends the refresh token and returns a new one (true), or keeps it valid and
   * returns none, as IdPs without rotation do.
   */
  public volatile boolean rotateRefreshTokens = true;

  /** Makes refresh requests fail with invalid_grant. */
  public volatile boolean failRefresh;

  /** Changes to the ID token a refresh returns. */
  public volatile Consumer<JWTClaimsSet.Builder> refreshIdTokenTweak = b -> {};

  /** Who the authorization endpoint signs in next. */
  public volatile String nextUser = "alice";

  public volatile List<String> roles = List.of("reader");

  /** The client registered here; another issuer's test server may have another. */
  public volatile String clientId = CLIENT_ID;

  public volatile String clientSecret = CLIENT_SECRET;

  /** Every request this server received, of any kind. */
  public final AtomicInteger requests = new AtomicInteger();

  public final AtomicInteger codeExchanges = new AtomicInteger();

  /** Every request at the token endpoint, answered or refused, of any grant. */
  public final AtomicInteger tokenRequests = new AtomicInteger();

  public final AtomicInteger refreshes = new AtomicInteger();

  /** Every refresh grant asked for, granted or not. */
  public final AtomicInteger refreshRequests = new AtomicInteger();

  public final List<String> revoked = new CopyOnWriteArrayList<>();

  /** Every refresh token issued, in order. */
  public final List<String> refreshTokensIssued = new CopyOnWriteArrayList<>();

  public final List<Map<String, String>> endSessionRequests = new CopyOnWriteArrayList<>();
  public final List<Map<String, String>> authorizationRequests = new CopyOnWriteArrayList<>();

  /** Faults to inject into discovery, the key set or the token endpoint. */
  public final IdpFaults faults = new IdpFaults();

  private final LoopbackJetty server;
  private volatile RSAKey key;
  private volatile List<RSAKey> published;
  private final RSAKey unpublished;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, String> accessTokenUsers = new ConcurrentHashMap<>();

  private record Grant(String user, String redirectUri, String challenge, String nonce) {}

  public TestAuthServer() throws Exception {
    SecretLedger.record("client secret", CLIENT_SECRET);
    key = new RSAKeyGenerator(2048).keyID("op-1").generate();
    published = List.of(key);
    unpublished = new RSAKeyGenerator(2048).keyID("op-1").generate();
    server = LoopbackJetty.serve(new Endpoints());
  }

  /** Stops listening and drops every connection: the IdP is down (connections are refused). */
  public void goDown() throws Exception {
    server.stopListening();
  }

  /** Listens again, on the same port. */
  public void comeUp() throws Exception {
    server.listenAgain();
  }

  /** Connections open at this server now (from any client). */
  public long openConnections() {
    return server.openConnections();
  }

  /** The current signing key (private part included), to mint tokens such as logout tokens. */
  public RSAKey signingKey() {
    return key;
  }

  /**
   * Rotates the signing key: a new key (with a new {@code kid}) signs from now on, and is published
   * beside the old one.
   */
  public void rotateKey() throws JOSEException {
    RSAKey next = new RSAKeyGenerator(2048).keyID("op-" + (published.size() + 1)).generate();
    published =
        java.util.stream.Stream.concat(java.util.stream.Stream.of(next), published.stream())
            .toList();
    key = next;
  }

  /**
   * The filter's init-params for this server: issuer, client id and secret, in a map a test may add
   * to.
   */
  public Map<String, String> filterParams() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", issuer());
    p.put("clientId", CLIENT_ID);
    p.put("clientSecret", CLIENT_SECRET);
    return p;
  }

  public String issuer() {
    return server.url("/op").toString();
  }

  @Override
  public void close() {
    server.close();
  }

  private final class Endpoints extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      requests.incrementAndGet();
      String path = req.getRequestURI();
      String endpoint =
          switch (path) {
            case "/op/.well-known/openid-configuration" -> "discovery";
            case "/op/jwks" -> "jwks";
            case "/op/token" -> "token";
            default -> path;
          };
      if (faults.apply(endpoint, resp)) {
        return;
      }
      if (path.equals("/op/elsewhere")) {
        faults.redirectsFollowed.incrementAndGet();
        resp.sendError(404);
        return;
      }
      switch (path) {
        case "/op/.well-known/openid-configuration" -> json(resp, 200, discovery());
        case "/op/jwks" ->
            json(
                resp,
                200,
                new JWKSet(published.stream().map(k -> (JWK) k.toPublicJWK()).toList()).toString());
        case "/op/authorize" -> {
          // Only the browser comes here: its connection is closed after each visit, so that the
          // connections open at this server are the filter's (the fault tests count them).
          resp.setHeader("Connection", "close");
          authorize(req, resp);
        }
        case "/op/token" -> token(req, resp);
        case "/op/userinfo" -> userInfo(req, resp);
        case "/op/revoke" -> {
          revoked.add(req.getParameter("token"));
          resp.setStatus(200);
        }
        case "/op/logout" -> {
          resp.setHeader("Connection", "close"); // the browser's too, see /op/authorize
          endSessionRequests.add(params(req));
          resp.sendRedirect(req.getParameter("post_logout_redirect_uri"));
        }
        default -> resp.sendError(404);
      }
    }
  }

  private String discovery() {
    String base = issuer();
    return "{\"issuer\":\""
        + base
        + "\",\"authorization_endpoint\":\""
        + base
        + "/authorize\","
        + "\"token_endpoint\":\""
        + base
        + "/token\",\"userinfo_endpoint\":\""
        + base
        + "/userinfo\","
        + "\"jwks_uri\":\""
        + base
        + "/jwks\",\"revocation_endpoint\":\""
        + base
        + "/revoke\","
        + "\"end_session_endpoint\":\""
        + base
        + "/logout\","
        + "\"authorization_response_iss_parameter_supported\":"
        + sendsIss
        + ","
        + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
        + "\"code_challenge_methods_supported\":[\"S256\"]}";
  }

  private void authorize(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Map<String, String> p = params(req);
    authorizationRequests.add(p);
    Function<Map<String, String>, String> instead = authorizeInstead;
    if (instead != null) {
      resp.sendRedirect(instead.apply(p));
      return;
    }
    if (!clientId.equals(p.get("client_id"))
        || !"code".equals(p.get("response_type"))
        || !"S256".equals(p.get("code_challenge_method"))
        || p.get("code_challenge") == null) {
      resp.sendError(400, "bad authorization request");
      return;
    }
    String code = UUID.randomUUID().toString();
    SecretLedger.record("authorization code", code);
    codes.put(
        code, new Grant(nextUser, p.get("redirect_uri"), p.get("code_challenge"), p.get("nonce")));
    String iss = authorizationResponseIss != null ? authorizationResponseIss : issuer();
    String query =
        "code="
            + enc(code)
            + "&state="
            + enc(p.get("state"))
            + (sendsIss ? "&iss=" + enc(iss) : "");
    String mode = p.get("response_mode");
    if (mode != null && (mode.equals("jwt") || mode.endsWith(".jwt"))) {
      JWTClaimsSet.Builder claims =
          new JWTClaimsSet.Builder()
              .issuer(iss)
              .audience(p.get("client_id"))
              .expirationTime(new Date(System.currentTimeMillis() + 60_000))
              .claim("code", code)
              .claim("state", p.get("state"));
      Function<JWTClaimsSet.Builder, String> make = jarmResponse;
      String jwt;
      try {
        jwt = make != null ? make.apply(claims) : signed(key, claims.build());
      } catch (JOSEException e) {
        throw new IOException(e);
      }
      if (mode.equals("form_post.jwt")) {
        resp.setContentType("text/html");
        resp.getWriter()
            .write(
                "<form method=\"post\" action=\""
                    + p.get("redirect_uri")
                    + "\"><input name=\"response\" value=\""
                    + jwt
                    + "\"></form>");
        return;
      }
      resp.sendRedirect(p.get("redirect_uri") + "?response=" + enc(jwt));
      return;
    }
    if ("form_post".equals(p.get("response_mode"))) {
      resp.setContentType("text/html");
      resp.getWriter()
          .write(
              "<form method=\"post\" action=\""
                  + p.get("redirect_uri")
                  + "\">"
                  + "<input name=\"code\" value=\""
                  + code
                  + "\"><input name=\"state\" value=\""
                  + p.get("state")
                  + "\">"
                  + (sendsIss ? "<input name=\"iss\" value=\"" + iss + "\">" : "")
                  + "</form>");
      return;
    }
    resp.sendRedirect(p.get("redirect_uri") + "?" + query);
  }

  private void token(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    tokenRequests.incrementAndGet();
    SecretLedger.record("client secret", clientSecret);
    String auth = req.getHeader("Authorization");
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    boolean authenticated =
        switch (clientAuth) {
          case "post" ->
              auth == null
                  && clientId.equals(req.getParameter("client_id"))
                  && clientSecret.equals(req.getParameter("client_secret"));
          case "none" ->
              auth == null
                  && clientId.equals(req.getParameter("client_id"))
                  && req.getParameter("client_secret") == null;
          default -> expected.equals(auth);
        };
    if (!authenticated) {
      json(resp, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    String grantType = req.getParameter("grant_type");
    if ("authorization_code".equals(grantType)) {
      Grant grant = codes.remove(String.valueOf(req.getParameter("code")));
      if (grant == null
          || !grant.redirectUri().equals(req.getParameter("redirect_uri"))
          || !grant.challenge().equals(s256(req.getParameter("code_verifier")))) {
        json(resp, 400, "{\"error\":\"invalid_grant\"}");
        return;
      }
      codeExchanges.incrementAndGet();
      json(resp, 200, tokens(grant, true));
    } else if ("refresh_token".equals(grantType)) {
      refreshRequests.incrementAndGet();
      String presented = String.valueOf(req.getParameter("refresh_token"));
      Grant grant =
          rotateRefreshTokens ? refreshTokens.remove(presented) : refreshTokens.get(presented);
      if (grant == null || failRefresh) {
        json(resp, 400, "{\"error\":\"invalid_grant\"}");
        return;
      }
      refreshes.incrementAndGet();
      json(resp, 200, tokens(grant, false));
    } else {
      json(resp, 400, "{\"error\":\"unsupported_grant_type\"}");
    }
  }

  private String tokens(Grant grant, boolean atLogin) {
    long now = System.currentTimeMillis();
    String accessToken =
        opaqueAccessTokens
            ? "opaque-" + UUID.randomUUID()
            : sign(
                key,
                new JWTClaimsSet.Builder()
                    .issuer(issuer())
                    .subject(grant.user())
                    .audience(clientId)
                    .issueTime(new Date(now))
                    .expirationTime(new Date(now + accessTokenLifetime * 1000L))
                    .jwtID(UUID.randomUUID().toString())
                    .claim("scope", "openid profile")
                    .claim("realm_access", Map.of("roles", roles))
                    .build(),
                "at+jwt");
    SecretLedger.record("access token", accessToken);
    accessTokenUsers.put(accessToken, grant.user());
    JWTClaimsSet.Builder id =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .subject(grant.user())
            .audience(clientId)
            .issueTime(new Date(now))
            .expirationTime(new Date(now + 300_000))
            .claim("name", grant.user().toUpperCase(java.util.Locale.ROOT))
            .claim(
                "at_hash",
                AccessTokenHash.compute(
                        new BearerAccessToken(accessToken), JWSAlgorithm.RS256, null)
                    .getValue());
    if (atLogin) {
      id.claim("nonce", grant.nonce());
      idTokenTweak.accept(id);
    } else {
      refreshIdTokenTweak.accept(id);
    }
    String idToken =
        sign(signWithUnpublishedKey ? unpublished : key, id.build(), "JWT", idTokenWithoutKid);
    StringBuilder json =
        new StringBuilder(
            "{\"access_token\":\""
                + accessToken
                + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":"
                + accessTokenLifetime
                + ",\"id_token\":\""
                + idToken
                + "\"");
    if (issueRefreshTokens && (atLogin || rotateRefreshTokens)) {
      String refresh = UUID.randomUUID().toString();
      SecretLedger.record("refresh token", refresh);
      refreshTokens.put(refresh, grant);
      refreshTokensIssued.add(refresh);
      json.append(",\"refresh_token\":\"").append(refresh).append('"');
    }
    return json.append('}').toString();
  }

  private void userInfo(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String auth = String.valueOf(req.getHeader("Authorization"));
    String user = auth.startsWith("Bearer ") ? accessTokenUsers.get(auth.substring(7)) : null;
    if (user == null) {
      json(resp, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    String sub = userInfoSubject != null ? userInfoSubject : user;
    json(
        resp,
        200,
        JSONObjectUtils.toJSONString(Map.of("sub", sub, "email", user + "@example.com")));
  }

  private static String sign(RSAKey key, JWTClaimsSet claims, String typ) {
    return sign(key, claims, typ, false);
  }

  private static String sign(RSAKey key, JWTClaimsSet claims, String typ, boolean withoutKid) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(withoutKid ? null : key.getKeyID())
                  .type(new JOSEObjectType(typ))
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      String signed = jwt.serialize();
      SecretLedger.record("token signed by TestAuthServer", signed);
      return signed;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String s256(String verifier) {
    if (verifier == null) {
      return "";
    }
    try {
      return Base64URL.encode(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)))
          .toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> params(HttpServletRequest req) {
    Map<String, String> out = new LinkedHashMap<>();
    req.getParameterMap().forEach((k, v) -> out.put(k, v[0]));
    return out;
  }

  private static void json(HttpServletResponse resp, int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    resp.getWriter().write(body);
  }

  /** {@code claims} signed with {@code key}, RS256, with its {@code kid}. */
  public static String signed(RSAKey key, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }
}
