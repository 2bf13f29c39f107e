package dev.oidcgate.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.oidcgate.oidc.authz.ClaimPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Every configuration key, with its default and one line of meaning. This is the single source of
 * the keys: {@code web.xml} init-params are parsed through it, the builder starts from its
 * defaults, and {@code docs/configuration.md} is checked against it by a test. Key names equal the
 * builder's method names.
 */
public enum OidcSetting {
  ISSUER(
      "issuer",
      null,
      false,
      "The issuer URL, or its `/.well-known/openid-configuration` URL. Required.",
      (b, v) -> b.issuer(v)),
  CLIENT_ID(
      "clientId",
      null,
      false,
      "The client id registered at the identity provider. Required unless `audience` is set.",
      (b, v) -> b.clientId(v)),
  CLIENT_SECRET(
      "clientSecret",
      null,
      true,
      "The client secret; needed for token introspection. Use `${env:NAME}` to keep it out of `web.xml`.",
      (b, v) -> b.clientSecret(v)),
  AUDIENCE(
      "audience",
      null,
      false,
      "Audiences an access token may carry instead of the client id (comma-separated). Default: the client id.",
      (b, v) -> b.audience(Values.list(v))),
  AUDIENCE_CLAIM(
      "audienceClaim",
      "aud",
      false,
      "The claim that holds the audience; `client_id` for Amazon Cognito access tokens.",
      (b, v) -> b.audienceClaim(claim(v))),
  PRINCIPAL_CLAIM(
      "principalClaim",
      "sub",
      false,
      "The claim whose value `getUserPrincipal().getName()` and `getRemoteUser()` return.",
      (b, v) -> b.principalClaim(claim(v))),
  ALLOWED_ALGORITHMS(
      "allowedAlgorithms",
      "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA",
      false,
      "JWS algorithms accepted for signed tokens. `none` and HMAC (`HS*`) are never accepted.",
      (b, v) -> b.allowedAlgorithms(algorithms(v))),
  ACCESS_TOKEN_TYPES(
      "accessTokenTypes",
      null,
      false,
      "When set, the JWT header `typ` an access token must carry, e.g. `at+jwt` (RFC 9068).",
      (b, v) -> b.accessTokenTypes(types(v))),
  CLOCK_SKEW(
      "clockSkew",
      "60s",
      false,
      "Leeway for `exp`, `nbf` and `iat`.",
      (b, v) -> b.clockSkew(Values.duration(v))),
  MAX_TOKEN_LENGTH(
      "maxTokenLength",
      "16384",
      false,
      "Longer bearer tokens are refused with 401 before any parsing.",
      (b, v) -> b.maxTokenLength(Values.positiveInt(v))),
  INTROSPECTION_ENDPOINT(
      "introspectionEndpoint",
      null,
      false,
      "The RFC 7662 introspection endpoint for opaque tokens. Default: `introspection_endpoint` from discovery.",
      (b, v) -> b.introspectionEndpoint(Values.httpUri(v))),
  INTROSPECTION_AUTH_METHOD(
      "introspectionAuthMethod",
      "client_secret_basic",
      false,
      "How the client authenticates to the introspection endpoint: `client_secret_basic` or `client_secret_post`.",
      (b, v) -> b.introspectionAuthMethod(authMethod(v))),
  INTROSPECTION_CACHE_TTL(
      "introspectionCacheTtl",
      "5m",
      false,
      "The longest an introspection result is reused; never longer than the token lives.",
      (b, v) -> b.introspectionCacheTtl(Values.duration(v))),
  TOKEN_CACHE_SIZE(
      "tokenCacheSize",
      "10000",
      false,
      "How many verified tokens are remembered, so a repeated token costs a lookup, not a signature check.",
      (b, v) -> b.tokenCacheSize(Values.positiveInt(v))),
  SCOPES_REQUIRED(
      "scopesRequired",
      null,
      false,
      "Access rule: comma-separated alternatives, each a space-separated set of scopes that must all be present.",
      (b, v) -> b.scopesRequired(alternatives(v))),
  SCOPES_CLAIM(
      "scopesClaim",
      "scope",
      false,
      "The claim that holds the scopes (a space-separated string or an array; `scp` for Entra ID).",
      (b, v) -> b.scopesClaim(claim(v))),
  AUDIENCE_REQUIRED(
      "audienceRequired",
      null,
      false,
      "Access rule on `audienceClaim`, in the same form as `scopesRequired`.",
      (b, v) -> b.audienceRequired(alternatives(v))),
  GROUPS_REQUIRED(
      "groupsRequired",
      null,
      false,
      "Access rule on `groupsClaim`, in the same form as `scopesRequired`.",
      (b, v) -> b.groupsRequired(alternatives(v))),
  GROUPS_CLAIM(
      "groupsClaim",
      "groups",
      false,
      "The claim that holds the groups; may be a dotted path. `cognito:groups` for Amazon Cognito.",
      (b, v) -> b.groupsClaim(claim(v))),
  ROLES_REQUIRED(
      "rolesRequired",
      null,
      false,
      "Access rule on `rolesClaim`, in the same form as `scopesRequired`.",
      (b, v) -> b.rolesRequired(alternatives(v))),
  ROLES_CLAIM(
      "rolesClaim",
      "roles",
      false,
      "The claim that holds the roles; may be a dotted path. `realm_access.roles` for Keycloak.",
      (b, v) -> b.rolesClaim(claim(v))),
  UPSTREAM_ACCESS_TOKEN_HEADER(
      "upstreamAccessTokenHeader",
      "Authorization:Bearer",
      false,
      "The header that carries the access token to the app and upstream: `Name` or `Name:Bearer`; `none` to send none.",
      (b, v) -> b.upstreamAccessTokenHeader(v)),
  UPSTREAM_CLAIM_HEADERS(
      "upstreamClaimHeaders",
      null,
      false,
      "Claims passed on as headers: comma-separated `Header=claim`, e.g. `X-Authenticated-User=sub`.",
      (b, v) -> b.upstreamClaimHeaders(headerMap(v))),
  REALM(
      "realm",
      "oidc-gate",
      false,
      "The `realm` in `WWW-Authenticate` challenges.",
      (b, v) -> b.realm(v)),
  HTTP_CONNECT_TIMEOUT(
      "httpConnectTimeout",
      "5s",
      false,
      "Connect timeout for calls to the identity provider.",
      (b, v) -> b.httpConnectTimeout(Values.duration(v))),
  HTTP_READ_TIMEOUT(
      "httpReadTimeout",
      "5s",
      false,
      "Read timeout for calls to the identity provider.",
      (b, v) -> b.httpReadTimeout(Values.duration(v))),
  HTTP_MAX_RESPONSE_SIZE(
      "httpMaxResponseSize",
      "1048576",
      false,
      "Largest response body, in bytes, accepted from the identity provider.",
      (b, v) -> b.httpMaxResponseSize(Values.positiveInt(v))),
  DISCOVERY_REFRESH_INTERVAL(
      "discoveryRefreshInterval",
      "1h",
      false,
      "How often the provider metadata is read again; a failed read keeps the last good one.",
      (b, v) -> b.discoveryRefreshInterval(Values.duration(v))),
  DISCOVERY_RETRY_MAX_INTERVAL(
      "discoveryRetryMaxInterval",
      "60s",
      false,
      "While the provider is unreachable, discovery is retried with backoff from 1s up to this interval.",
      (b, v) -> b.discoveryRetryMaxInterval(Values.duration(v))),
  JWKS_REFRESH_INTERVAL(
      "jwksRefreshInterval",
      "1h",
      false,
      "How often the signing keys are read again in the background; a failed read keeps the last good keys.",
      (b, v) -> b.jwksRefreshInterval(Values.duration(v))),
  JWKS_MIN_REFRESH_INTERVAL(
      "jwksMinRefreshInterval",
      "30s",
      false,
      "An unknown `kid` causes at most one key refetch per this interval, shared by all requests.",
      (b, v) -> b.jwksMinRefreshInterval(Values.duration(v))),
  CREDENTIALS(
      "credentials",
      "session bearer",
      false,
      "Which credentials are accepted, in the order they are looked for: `session` (the login cookie) and `bearer` (`Authorization: Bearer`). `bearer` alone makes a pure API: no login, no session.",
      (b, v) -> b.credentials(credentials(v))),
  EVENT_LISTENER(
      "eventListener",
      null,
      false,
      "A class implementing `dev.oidcgate.oidc.events.OidcEventListener` (public, no-argument constructor) that hears logins, refreshes and refusals, for metrics and audit.",
      (b, v) ->
          b.eventListener(Values.instanceOf(v, dev.oidcgate.oidc.events.OidcEventListener.class))),
  UNAUTHENTICATED_ACTION(
      "unauthenticatedAction",
      "redirect",
      false,
      "Without a credential: `redirect` sends browser navigations to log in (others get 401), `deny` always answers 401, `pass` lets the request through anonymously. Without `clientSecret` (and `tokenEndpointAuthMethod` other than `none`) the default is `deny`.",
      (b, v) -> b.unauthenticatedAction(UnauthenticatedAction.parse(v))),
  REDIRECT_URI(
      "redirectUri",
      null,
      false,
      "Where the IdP sends the browser back: an absolute URL or a path under the context. Default: `callback` under the filter's first URL pattern. May be a protected URL itself.",
      (b, v) -> b.redirectUri(v)),
  SCOPES(
      "scopes",
      "openid profile email",
      false,
      "The scopes asked for at login; `openid` is always added.",
      (b, v) -> b.scopes(Values.words(v))),
  RESPONSE_MODE(
      "responseMode",
      "query",
      false,
      "How the IdP returns the code: `query` or `form_post`.",
      (b, v) -> b.responseMode(Values.oneOf(v, "query", "form_post"))),
  TOKEN_ENDPOINT_AUTH_METHOD(
      "tokenEndpointAuthMethod",
      "client_secret_basic",
      false,
      "How the client authenticates at the token endpoint: `client_secret_basic`, `client_secret_post` or `none` (a public client; PKCE still applies).",
      (b, v) ->
          b.tokenEndpointAuthMethod(
              Values.oneOf(v, "client_secret_basic", "client_secret_post", "none"))),
  USER_INFO(
      "userInfo",
      "false",
      false,
      "Whether to call the UserInfo endpoint at login and add its claims (its `sub` must equal the ID token's).",
      (b, v) -> b.userInfo(Values.bool(v))),
  REFRESH_LEEWAY(
      "refreshLeeway",
      "60s",
      false,
      "The access token is refreshed this long before it expires (but not in the first half of its life), when there is a refresh token.",
      (b, v) -> b.refreshLeeway(Values.duration(v))),
  LOGOUT_PATH(
      "logoutPath",
      null,
      false,
      "The path (under the context) that ends the session. Default: `logout` under the filter's first URL pattern.",
      (b, v) -> b.logoutPath(v)),
  POST_LOGOUT_REDIRECT_URI(
      "postLogoutRedirectUri",
      "/",
      false,
      "Where the browser lands after logout: an absolute URL or a path under the context.",
      (b, v) -> b.postLogoutRedirectUri(v)),
  LOGOUT_ENDPOINT(
      "logoutEndpoint",
      null,
      false,
      "The IdP's logout URL. Default: `end_session_endpoint` from discovery. Amazon Cognito: `https://<domain>/logout`.",
      (b, v) -> b.logoutEndpoint(Values.httpUri(v))),
  LOGOUT_REDIRECT_PARAMETER(
      "logoutRedirectParameter",
      "post_logout_redirect_uri",
      false,
      "The query parameter that carries `postLogoutRedirectUri` to the IdP; `logout_uri` for Amazon Cognito.",
      (b, v) -> b.logoutRedirectParameter(v)),
  SESSION_STORE(
      "sessionStore",
      "cookie",
      false,
      "Where sessions live: `cookie` (encrypted, no server state), `memory` (this JVM) or `container` (the servlet container's `HttpSession`).",
      (b, v) -> b.sessionStore(Values.oneOf(v, "cookie", "memory", "container"))),
  SESSION_SECRET(
      "sessionSecret",
      null,
      true,
      "Secret(s) the session and login cookies are encrypted with, at least 32 characters; comma-separated for rotation (the first encrypts). Unset: a random key, sessions end at restart.",
      (b, v) -> b.sessionSecret(Values.list(v))),
  SESSION_COOKIE_NAME(
      "sessionCookieName",
      "oidc_session",
      false,
      "The session cookie's name (large cookie sessions add `.1`, `.2`, ...).",
      (b, v) -> b.sessionCookieName(Values.cookieName(v))),
  SESSION_COOKIE_PATH(
      "sessionCookiePath",
      null,
      false,
      "The cookie `Path`. Default: the context path, so one session serves the whole app.",
      (b, v) -> b.sessionCookiePath(v)),
  SESSION_COOKIE_DOMAIN(
      "sessionCookieDomain",
      null,
      false,
      "The cookie `Domain`. Default: none (host-only).",
      (b, v) -> b.sessionCookieDomain(v)),
  SESSION_COOKIE_SAME_SITE(
      "sessionCookieSameSite",
      "Lax",
      false,
      "The cookie `SameSite`: `Lax`, `Strict` or `None` (`None` needs HTTPS). Login cookies are never stricter than `Lax`, or the IdP's redirect could not bring them back.",
      (b, v) -> b.sessionCookieSameSite(Values.oneOf(v, "Lax", "Strict", "None"))),
  SESSION_COOKIE_SECURE(
      "sessionCookieSecure",
      "auto",
      false,
      "The cookie `Secure` flag: `auto` (when the request is HTTPS), `true` or `false`.",
      (b, v) -> b.sessionCookieSecure(Values.oneOf(v, "auto", "true", "false"))),
  SESSION_COOKIE_HTTP_ONLY(
      "sessionCookieHttpOnly",
      "true",
      false,
      "The cookie `HttpOnly` flag. Leave it on: the cookies hold tokens that no script should read; `false` logs a warning.",
      (b, v) -> b.sessionCookieHttpOnly(Values.bool(v))),
  SESSION_COOKIE_MAX_CHUNKS(
      "sessionCookieMaxChunks",
      "3",
      false,
      "The most cookies one cookie session may be split into.",
      (b, v) -> b.sessionCookieMaxChunks(Values.positiveInt(v))),
  SESSION_IDLE_TIMEOUT(
      "sessionIdleTimeout",
      "30m",
      false,
      "A session unused this long ends.",
      (b, v) -> b.sessionIdleTimeout(Values.duration(v))),
  SESSION_MAX_LIFETIME(
      "sessionMaxLifetime",
      "8h",
      false,
      "A session ends this long after login, however busy.",
      (b, v) -> b.sessionMaxLifetime(Values.duration(v))),
  SESSION_MAX_ENTRIES(
      "sessionMaxEntries",
      "10000",
      false,
      "The most sessions `sessionStore=memory` keeps.",
      (b, v) -> b.sessionMaxEntries(Values.positiveInt(v))),
  MAX_LOGINS_IN_FLIGHT(
      "maxLoginsInFlight",
      "5",
      false,
      "The most unfinished logins one browser may have (tabs); the oldest is dropped beyond.",
      (b, v) -> b.maxLoginsInFlight(Values.positiveInt(v))),
  LOGIN_TIMEOUT(
      "loginTimeout",
      "10m",
      false,
      "How long a started login may take before its callback is refused.",
      (b, v) -> b.loginTimeout(Values.duration(v))),
  UPSTREAM_ID_TOKEN_HEADER(
      "upstreamIdTokenHeader",
      "none",
      false,
      "A header that carries the session's ID token to the app and upstream, or `none`.",
      (b, v) -> b.upstreamIdTokenHeader(v)),
  UPSTREAM_USER_INFO_HEADER(
      "upstreamUserInfoHeader",
      "none",
      false,
      "A header that carries the UserInfo claims (base64url JSON) to the app and upstream, or `none`.",
      (b, v) -> b.upstreamUserInfoHeader(v));

  private final String key;
  private final String defaultValue;
  private final boolean secret;
  private final String description;
  private final BiConsumer<OidcConfig.Builder, String> apply;

  OidcSetting(
      String key,
      String defaultValue,
      boolean secret,
      String description,
      BiConsumer<OidcConfig.Builder, String> apply) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.description = description;
    this.apply = apply;
  }

  /** The name used in {@code web.xml} and as the builder's method name. */
  public String key() {
    return key;
  }

  /** The default as text, or {@code null} when there is none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** Whether the value must never appear in a message or log line. */
  public boolean secret() {
    return secret;
  }

  /** Parses {@code value} onto the builder; throws {@link OidcConfigException} naming this key. */
  void applyTo(OidcConfig.Builder builder, String value) {
    try {
      apply.accept(builder, value);
    } catch (OidcConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String shown = secret ? "" : " ('" + abbreviate(value) + "')";
      throw new OidcConfigException(key, e.getMessage() + shown);
    }
  }

  static OidcSetting forKey(String key) {
    for (OidcSetting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }

  private static String abbreviate(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }

  private static ClaimPath claim(String v) {
    return ClaimPath.of(v);
  }

  private static Set<JWSAlgorithm> algorithms(String v) {
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    for (String name : Values.words(v)) {
      JWSAlgorithm alg = JWSAlgorithm.parse(name);
      if (!OidcConfig.ASYMMETRIC_ALGORITHMS.contains(alg)) {
        throw new IllegalArgumentException(
            "unsupported algorithm " + name + "; choose from " + OidcConfig.ASYMMETRIC_ALGORITHMS);
      }
      out.add(alg);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("name at least one algorithm");
    }
    return out;
  }

  private static List<String> credentials(String v) {
    List<String> out = new ArrayList<>();
    for (String word : Values.words(v)) {
      String c = Values.oneOf(word, "session", "bearer");
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("name session, bearer or both");
    }
    return out;
  }

  private static Set<JOSEObjectType> types(String v) {
    Set<JOSEObjectType> out = new LinkedHashSet<>();
    for (String t : Values.words(v)) {
      out.add(new JOSEObjectType(t));
    }
    return out;
  }

  private static ClientAuthenticationMethod authMethod(String v) {
    ClientAuthenticationMethod m = ClientAuthenticationMethod.parse(v.trim());
    if (!m.equals(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        && !m.equals(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      throw new IllegalArgumentException("write client_secret_basic or client_secret_post");
    }
    return m;
  }

  private static List<Set<String>> alternatives(String v) {
    List<Set<String>> out = new ArrayList<>();
    for (String entry : Values.list(v)) {
      out.add(new LinkedHashSet<>(List.of(entry.split("\\s+"))));
    }
    return out;
  }

  private static Map<String, ClaimPath> headerMap(String v) {
    Map<String, ClaimPath> out = new LinkedHashMap<>();
    for (String entry : Values.list(v)) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException("write Header=claim, e.g. X-Authenticated-User=sub");
      }
      out.put(entry.substring(0, eq).trim(), ClaimPath.of(entry.substring(eq + 1)));
    }
    return out;
  }
}
