package dev.oidcgate.oidc.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.oidcgate.testlogs.SecretLedger;
import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An identity provider stand-in on 127.0.0.1 shaped like one product: its discovery document's
 * endpoints, its token claims and its logout, as that product's documentation describes them
 * (sources in docs/providers/*.md). Only the shape differs; the protocol (code flow with PKCE,
 * client_secret_basic) is the same for all.
 */
public final class ProviderStandIn implements AutoCloseable {

  public static final String CLIENT_ID = "4v1e2o3q6client";
  public static final String CLIENT_SECRET = "stand-in-client-secret";
  public static final String TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

  /** The products imitated, each with its issuer path and endpoint paths. */
  public enum Kind {
    COGNITO(
        "/eu-west-1_AbCdEfGhI",
        "/oauth2/authorize",
        "/oauth2/token",
        "/oauth2/userInfo",
        "/eu-west-1_AbCdEfGhI/.well-known/jwks.json",
        "/oauth2/revoke",
        null),
    ENTRA(
        "/" + TENANT + "/v2.0",
        "/" + TENANT + "/oauth2/v2.0/authorize",
        "/" + TENANT + "/oauth2/v2.0/token",
        "/oidc/userinfo",
        "/" + TENANT + "/discovery/v2.0/keys",
        null,
        "/" + TENANT + "/oauth2/v2.0/logout"),
    /** Entra ID's multi-tenant endpoint: discovery names the issuer .../{tenantid}/v2.0. */
    ENTRA_ORGANIZATIONS(
        "/organizations/v2.0",
        "/organizations/oauth2/v2.0/authorize",
        "/organizations/oauth2/v2.0/token",
        "/oidc/userinfo",
        "/organizations/discovery/v2.0/keys",
        null,
        "/organizations/oauth2/v2.0/logout"),
    KEYCLOAK(
        "/realms/demo",
        "/realms/demo/protocol/openid-connect/auth",
        "/realms/demo/protocol/openid-connect/token",
        "/realms/demo/protocol/openid-connect/userinfo",
        "/realms/demo/protocol/openid-connect/certs",
        "/realms/demo/protocol/openid-connect/revoke",
        "/realms/demo/protocol/openid-connect/logout"),
    OKTA(
        "/oauth2/default",
        "/oauth2/default/v1/authorize",
        "/oauth2/default/v1/token",
        "/oauth2/default/v1/userinfo",
        "/oauth2/default/v1/keys",
        "/oauth2/default/v1/revoke",
        "/oauth2/default/v1/logout"),
    AUTH0(
        "/",
        "/authorize",
        "/oauth/token",
        "/userinfo",
        "/.well-known/jwks.json",
        "/oauth/revoke",
        null),
    GOOGLE("", "/o/oauth2/v2/auth", "/token", "/v1/userinfo", "/oauth2/v3/certs", "/revoke", null);

    final String issuerPath;
    final String authorize;
    final String token;
    final String userInfo;
    final String jwks;
    final String revoke;
    final String endSession;

    Kind(
        String issuerPath,
        String authorize,
        String token,
        String userInfo,
        String jwks,
        String revoke,
        String endSession) {
      this.issuerPath = issuerPath;
      this.authorize = authorize;
      this.token = token;
      this.userInfo = userInfo;
      this.jwks = jwks;
      this.revoke = revoke;
      this.endSession = endSession;
    }
  }

  /** The user the next login signs in. */
  public volatile String user = "alice";

  /** The tenant ({@code tid}) of the next token, for {@link Kind#ENTRA_ORGANIZATIONS}. */
  public volatile String tenant = TENANT;

  /**
   * Entra ID groups overage: tokens leave out {@code groups} and carry {@code _claim_names} and
   * {@code _claim_sources} instead, as for a user in more than 200 groups.
   */
  public volatile boolean groupsOverage;

  /** The client this stand-in is registered with; tests of a second client change it. */
  public volatile String clientId = CLIENT_ID;

  public volatile String clientSecret = CLIENT_SECRET;

  /**
   * The client id of every request to the token endpoint, whatever its outcome ({@code -} without
   * HTTP Basic): who was sent credentials here.
   */
  public final List<String> tokenRequestClients = new CopyOnWriteArrayList<>();

  /** The app tokens issued by the client-credentials grant. */
  public final List<String> appTokens = new CopyOnWriteArrayList<>();

  /** The {@code scope} of each client-credentials grant, and the token endpoint path it came to. */
  public final List<String> appTokenRequests = new CopyOnWriteArrayList<>();

  public final List<Map<String, String>> authorizationRequests = new CopyOnWriteArrayList<>();
  public final List<Map<String, String>> logoutRequests = new CopyOnWriteArrayList<>();
  public final List<String> revoked = new CopyOnWriteArrayList<>();

  private final Kind kind;
  private final RSAKey key;
  private final LoopbackJetty server;
  private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();

  public ProviderStandIn(Kind kind) throws Exception {
    this.kind = kind;
    this.key = new RSAKeyGenerator(2048).keyID(kind.name().toLowerCase() + "-1").generate();
    server = LoopbackJetty.serve(new Endpoints());
  }

  public String base() {
    return server.url().toString();
  }

  public String issuer() {
    return base() + kind.issuerPath;
  }

  /**
   * The issuer URL with {@code /.well-known/openid-configuration}, as the Kong workshop gives it.
   */
  public String discoveryUrl() {
    String i = issuer();
    return (i.endsWith("/") ? i.substring(0, i.length() - 1) : i)
        + "/.well-known/openid-configuration";
  }

  @Override
  public void close() {
    server.close();
  }

  /** An access token as this product issues it to {@link #clientId} for {@code sub}. */
  public String accessToken(String sub, Map<String, Object> extra) {
    JWTClaimsSet.Builder b = common(sub, 300);
    switch (kind) {
      case COGNITO -> // AWS: an access token has client_id and token_use, no aud
          b.claim("client_id", clientId)
              .claim("token_use", "access")
              .claim("scope", "openid profile email")
              .claim("username", sub)
              .claim("cognito:groups", List.of("admins"))
              .claim("version", 2);
      case ENTRA, ENTRA_ORGANIZATIONS ->
          b.audience(clientId)
              .claim("tid", tenantOfToken())
              .claim("oid", oidOf(sub))
              .claim("azp", clientId)
              .claim("azpacr", "1")
              .claim("scp", "access_as_user")
              .claim("roles", List.of("Task.Admin"))
              .claim("groups", List.of("b9c1b8a2-0000-4000-8000-000000000001"))
              .claim("ver", "2.0");
      case KEYCLOAK ->
          b.audience(List.of(clientId, "account"))
              .claim("typ", "Bearer")
              .claim("azp", clientId)
              .claim("scope", "openid profile email")
              .claim("realm_access", Map.of("roles", List.of("offline_access", "realm-user")))
              .claim(
                  "resource_access",
                  Map.of(
                      clientId,
                      Map.of("roles", List.of("client-admin")),
                      "account",
                      Map.of("roles", List.of("manage-account"))));
      case OKTA ->
          b.audience("api://default")
              .claim("cid", clientId)
              .claim("uid", "00u1a2b3c4d5e6f7g8h9")
              .claim("scp", List.of("openid", "profile", "email"))
              .claim("groups", List.of("Everyone", "Admins"))
              .claim("ver", 1);
      case AUTH0 ->
          b.audience(List.of("https://api.example.com", base() + "/userinfo"))
              .claim("azp", clientId)
              .claim("scope", "openid profile email")
              .claim("https://example.com/roles", List.of("editor"));
      case GOOGLE -> throw new IllegalStateException("Google access tokens are opaque");
    }
    overage(b);
    extra.forEach(b::claim);
    return sign(b.build(), "JWT");
  }

  /**
   * An ID token as this product issues it for {@code sub} at a login that sent no {@code nonce}:
   * with neither {@code nonce} nor {@code at_hash}, as a bearer token would be presented.
   */
  public String idToken(String sub) {
    return idToken(sub, null);
  }

  private String idToken(String sub, String nonce) {
    JWTClaimsSet.Builder b = common(sub, 300).audience(clientId);
    if (nonce != null) {
      b.claim("nonce", nonce);
    }
    b.claim("email", sub + "@example.com");
    switch (kind) {
      case COGNITO ->
          b.claim("token_use", "id")
              .claim("cognito:username", sub)
              .claim("cognito:groups", List.of("admins"))
              .claim("email_verified", true);
      case ENTRA, ENTRA_ORGANIZATIONS ->
          b.claim("tid", tenantOfToken())
              .claim("oid", oidOf(sub))
              .claim("roles", List.of("Task.Admin"))
              .claim("preferred_username", sub + "@contoso.example")
              .claim("aio", "AWQAm/8TAAAA")
              .claim("ver", "2.0");
      case KEYCLOAK ->
          b.claim("typ", "ID")
              .claim("azp", clientId)
              .claim("preferred_username", sub)
              .claim("realm_access", Map.of("roles", List.of("offline_access", "realm-user")))
              .claim("resource_access", Map.of(clientId, Map.of("roles", List.of("client-admin"))));
      case OKTA ->
          b.claim("groups", List.of("Everyone", "Admins"))
              .claim("ver", 1)
              .claim("amr", List.of("pwd"))
              .claim("idp", "00o1a2b3c4d5e6f7g8h9");
      case AUTH0 ->
          b.claim("https://example.com/roles", List.of("editor"))
              .claim("nickname", sub)
              .claim("name", sub + "@example.com")
              .claim("sid", "auth0-session-1");
      case GOOGLE ->
          b.claim("email_verified", !"unverified".equals(sub))
              .claim("hd", "example.com")
              .claim("azp", clientId);
    }
    overage(b);
    return sign(b.build(), "JWT");
  }

  /** The object id ({@code oid}) the Entra stand-ins give {@code sub}. */
  public static String oidOf(String sub) {
    return UUID.nameUUIDFromBytes(sub.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Microsoft identity platform, "groups overage claim": no groups, a pointer to Graph. */
  private void overage(JWTClaimsSet.Builder b) {
    if (groupsOverage && (kind == Kind.ENTRA || kind == Kind.ENTRA_ORGANIZATIONS)) {
      b.claim("groups", null)
          .claim("_claim_names", Map.of("groups", "src1"))
          .claim(
              "_claim_sources",
              Map.of(
                  "src1",
                  Map.of(
                      "endpoint",
                      "https://graph.windows.net/"
                          + tenantOfToken()
                          + "/users/x/getMemberObjects")));
    }
  }

  private String tenantOfToken() {
    return kind == Kind.ENTRA_ORGANIZATIONS ? tenant : TENANT;
  }

  private JWTClaimsSet.Builder common(String sub, int lifetimeSeconds) {
    long now = System.currentTimeMillis();
    String iss =
        kind == Kind.ENTRA_ORGANIZATIONS
            ? issuer().replace("/organizations/", "/" + tenant + "/")
            : issuer();
    return new JWTClaimsSet.Builder()
        .issuer(iss)
        .subject(sub)
        .issueTime(new Date(now - 1000))
        .expirationTime(new Date(now + lifetimeSeconds * 1000L))
        .jwtID(UUID.randomUUID().toString());
  }

  private String discovery() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put(
        "issuer",
        kind == Kind.ENTRA_ORGANIZATIONS
            ? issuer().replace("/organizations/", "/{tenantid}/")
            : issuer());
    d.put("authorization_endpoint", base() + kind.authorize);
    d.put("token_endpoint", base() + kind.token);
    d.put("userinfo_endpoint", base() + kind.userInfo);
    d.put("jwks_uri", base() + kind.jwks);
    if (kind.revoke != null) {
      d.put("revocation_endpoint", base() + kind.revoke);
    }
    if (kind.endSession != null) {
      d.put("end_session_endpoint", base() + kind.endSession);
    }
    if (kind == Kind.ENTRA || kind == Kind.ENTRA_ORGANIZATIONS) {
      d.put("tenant_region_scope", "EU");
      d.put("cloud_instance_name", "microsoftonline.com");
    }
    if (kind == Kind.AUTH0) {
      d.put("device_authorization_endpoint", base() + "/oauth/device/code");
    }
    d.put("response_types_supported", List.of("code"));
    d.put("subject_types_supported", List.of("public"));
    d.put("id_token_signing_alg_values_supported", List.of("RS256"));
    d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
    return JSONObjectUtils.toJSONString(d);
  }

  private final class Endpoints extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String path = req.getRequestURI();
      Map<String, String> p = new LinkedHashMap<>();
      req.getParameterMap().forEach((k, v) -> p.put(k, v[0]));
      if (path.equals(java.net.URI.create(discoveryUrl()).getPath())) {
        json(resp, 200, discovery());
      } else if (path.equals(kind.jwks)) {
        json(resp, 200, new JWKSet(key.toPublicJWK()).toString());
      } else if (path.equals(kind.authorize)) {
        authorizationRequests.add(p);
        if (!clientId.equals(p.get("client_id"))
            || !"S256".equals(p.get("code_challenge_method"))) {
          resp.sendError(400);
          return;
        }
        String code = UUID.randomUUID().toString();
        SecretLedger.record("authorization code", code);
        Map<String, String> grant = new LinkedHashMap<>(p);
        grant.put("user", user);
        codes.put(code, grant);
        resp.sendRedirect(
            p.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(p.get("state")));
      } else if (path.equals(kind.token) || isTenantTokenEndpoint(path)) {
        token(req, resp, p);
      } else if (path.equals(kind.userInfo)) {
        json(resp, 200, "{\"sub\":\"" + user + "\"}");
      } else if (kind.revoke != null && path.equals(kind.revoke)) {
        revoked.add(p.get("token"));
        resp.setStatus(200);
      } else if (path.equals(kind.endSession) || isOwnLogout(path)) {
        logoutRequests.add(p);
        String back =
            switch (kind) {
              case COGNITO -> p.get("logout_uri");
              case AUTH0 -> p.get("returnTo");
              default -> p.get("post_logout_redirect_uri");
            };
        resp.sendRedirect(back);
      } else {
        resp.sendError(404);
      }
    }
  }

  /** Entra's multi-tenant endpoint: one tenant's token endpoint, for client credentials. */
  private boolean isTenantTokenEndpoint(String path) {
    return kind == Kind.ENTRA_ORGANIZATIONS && path.matches("/[0-9a-f-]{36}/oauth2/v2.0/token");
  }

  private boolean isOwnLogout(String path) {
    return (kind == Kind.COGNITO && path.equals("/logout"))
        || (kind == Kind.AUTH0 && path.equals("/v2/logout"));
  }

  private void token(HttpServletRequest req, HttpServletResponse resp, Map<String, String> p)
      throws IOException {
    tokenRequestClients.add(basicUser(req.getHeader("Authorization")));
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    if (!basic.equals(req.getHeader("Authorization"))) {
      json(resp, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    if ("client_credentials".equals(p.get("grant_type"))) {
      appTokenRequests.add(path(req) + " " + p.get("scope"));
      String app = "app-" + UUID.randomUUID();
      appTokens.add(app);
      json(
          resp,
          200,
          "{\"access_token\":\"" + app + "\",\"token_type\":\"Bearer\",\"expires_in\":3599}");
      return;
    }
    Map<String, String> grant = codes.remove(String.valueOf(p.get("code")));
    if (!"authorization_code".equals(p.get("grant_type"))
        || grant == null
        || !grant.get("code_challenge").equals(s256(p.get("code_verifier")))) {
      json(resp, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    String sub = grant.get("user");
    boolean jwtAccessToken =
        kind != Kind.GOOGLE && (kind != Kind.AUTH0 || grant.containsKey("audience"));
    // Google and Auth0 (without an audience) issue opaque access tokens.
    String access =
        jwtAccessToken ? accessToken(sub, Map.of()) : UUID.randomUUID().toString().replace("-", "");
    SecretLedger.record("access token", access);
    SecretLedger.record("client secret", clientSecret);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("access_token", access);
    out.put("id_token", idToken(sub, grant.get("nonce")));
    out.put("token_type", "Bearer");
    out.put("expires_in", 300);
    // Google returns a refresh token only for access_type=offline.
    if (kind != Kind.GOOGLE || "offline".equals(grant.get("access_type"))) {
      String refresh = UUID.randomUUID().toString();
      SecretLedger.record("refresh token", refresh);
      out.put("refresh_token", refresh);
    }
    json(resp, 200, JSONObjectUtils.toJSONString(out));
  }

  private static String basicUser(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return "-";
    }
    String pair =
        new String(
            Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    return colon < 0 ? "-" : pair.substring(0, colon);
  }

  private static String path(HttpServletRequest req) {
    return req.getRequestURI();
  }

  private String sign(JWTClaimsSet claims, String typ) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(new JOSEObjectType(typ))
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      String signed = jwt.serialize();
      SecretLedger.record("token signed by ProviderStandIn", signed);
      return signed;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String s256(String verifier) {
    try {
      return Base64URL.encode(
              MessageDigest.getInstance("SHA-256")
                  .digest(String.valueOf(verifier).getBytes(StandardCharsets.US_ASCII)))
          .toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void json(HttpServletResponse resp, int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.getWriter().write(body);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }
}
