package dev.oidcgate.oidc.config;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.oidc.identity.TokenHeader;
import dev.oidcgate.oidc.provider.IssuerLocation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One configuration key: its name (as in {@code web.xml} and {@code docs/configuration.md}), its
 * default as text, one line of meaning, and the parser that turns text into the typed value. The
 * constants below are the single list of keys: the builder starts from their defaults, init-params
 * are parsed through them, the concern records ({@link ClientSettings}, {@link SessionSettings},
 * ...) read their values by them, and the reference in {@code docs/configuration.md} is checked
 * against them by a test. Adding a setting means a constant here and a component in the record of
 * its concern. Immutable.
 *
 * @param <T> the parsed type; {@code null} stands for "not set" where a key has no default
 */
public final class OidcSetting<T> {

  private static final List<OidcSetting<?>> ALL = new ArrayList<>();

  // Client and provider
  public static final OidcSetting<IssuerLocation> ISSUER =
      define(
          "issuer",
          null,
          "The issuer URL, or its `/.well-known/openid-configuration` URL. Required.",
          IssuerLocation::parse);
  public static final OidcSetting<String> CLIENT_ID =
      define(
          "clientId",
          null,
          "The client id registered at the identity provider. Required unless `audience` is set.",
          String::trim);
  public static final OidcSetting<Secret> CLIENT_SECRET =
      secret(
          "clientSecret",
          "The client secret; needed for token introspection. Use `${env:NAME}` to keep it out of"
              + " `web.xml`.",
          Secret::new);

  // Token validation
  public static final OidcSetting<List<String>> AUDIENCE =
      define(
          "audience",
          null,
          "Audiences an access token may carry instead of the client id (comma-separated)."
              + " Default: the client id.",
          Values::list);
  public static final OidcSetting<ClaimPath> AUDIENCE_CLAIM =
      define(
          "audienceClaim",
          "aud",
          "The claim that holds the audience; `client_id` for Amazon Cognito access tokens.",
          ClaimPath::of);
  public static final OidcSetting<ClaimPath> PRINCIPAL_CLAIM =
      define(
          "principalClaim",
          "sub",
          "The claim whose value `getUserPrincipal().getName()` and `getRemoteUser()` return.",
          ClaimPath::of);
  public static final OidcSetting<Set<JWSAlgorithm>> ALLOWED_ALGORITHMS =
      define(
          "allowedAlgorithms",
          "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA",
          "JWS algorithms accepted for signed tokens. `none` and HMAC (`HS*`) are never accepted.",
          OidcSetting::algorithms);
  public static final OidcSetting<Set<JOSEObjectType>> ACCESS_TOKEN_TYPES =
      define(
          "accessTokenTypes",
          null,
          "When set, the JWT header `typ` an access token must carry, e.g. `at+jwt` (RFC 9068).",
          OidcSetting::types);
  public static final OidcSetting<Duration> CLOCK_SKEW =
      define("clockSkew", "60s", "Leeway for `exp`, `nbf` and `iat`.", Values::duration);
  public static final OidcSetting<Integer> MAX_TOKEN_LENGTH =
      define(
          "maxTokenLength",
          "16384",
          "Longer bearer tokens are refused with 401 before any parsing.",
          Values::positiveInt);
  public static final OidcSetting<URI> INTROSPECTION_ENDPOINT =
      define(
          "introspectionEndpoint",
          null,
          "The RFC 7662 introspection endpoint for opaque tokens. Default:"
              + " `introspection_endpoint` from discovery.",
          Values::httpUri);
  public static final OidcSetting<ClientAuthenticationMethod> INTROSPECTION_AUTH_METHOD =
      define(
          "introspectionAuthMethod",
          "client_secret_basic",
          "How the client authenticates to the introspection endpoint: `client_secret_basic` or"
              + " `client_secret_post`.",
          v -> authMethod(v, false));
  public static final OidcSetting<Duration> INTROSPECTION_CACHE_TTL =
      define(
          "introspectionCacheTtl",
          "5m",
          "The longest an introspection result is reused; never longer than the token lives.",
          Values::duration);
  public static final OidcSetting<Integer> TOKEN_CACHE_SIZE =
      define(
          "tokenCacheSize",
          "10000",
          "How many verified tokens are remembered, so a repeated token costs a lookup, not a"
              + " signature check.",
          Values::positiveInt);

  // Access rules
  public static final OidcSetting<List<Set<String>>> SCOPES_REQUIRED =
      define(
          "scopesRequired",
          null,
          "Access rule: comma-separated alternatives, each a space-separated set of scopes that"
              + " must all be present.",
          OidcSetting::alternatives);
  public static final OidcSetting<ClaimPath> SCOPES_CLAIM =
      define(
          "scopesClaim",
          "scope",
          "The claim that holds the scopes (a space-separated string or an array; `scp` for Entra"
              + " ID).",
          ClaimPath::of);
  public static final OidcSetting<List<Set<String>>> AUDIENCE_REQUIRED =
      define(
          "audienceRequired",
          null,
          "Access rule on `audienceClaim`, in the same form as `scopesRequired`.",
          OidcSetting::alternatives);
  public static final OidcSetting<List<Set<String>>> GROUPS_REQUIRED =
      define(
          "groupsRequired",
          null,
          "Access rule on `groupsClaim`, in the same form as `scopesRequired`.",
          OidcSetting::alternatives);
  public static final OidcSetting<ClaimPath> GROUPS_CLAIM =
      define(
          "groupsClaim",
          "groups",
          "The claim that holds the groups; may be a dotted path. `cognito:groups` for Amazon"
              + " Cognito.",
          ClaimPath::of);
  public static final OidcSetting<List<Set<String>>> ROLES_REQUIRED =
      define(
          "rolesRequired",
          null,
          "Access rule on `rolesClaim`, in the same form as `scopesRequired`.",
          OidcSetting::alternatives);
  public static final OidcSetting<ClaimPath> ROLES_CLAIM =
      define(
          "rolesClaim",
          "roles",
          "The claim that holds the roles; may be a dotted path. `realm_access.roles` for"
              + " Keycloak.",
          ClaimPath::of);

  // Upstream identity
  public static final OidcSetting<TokenHeader> UPSTREAM_ACCESS_TOKEN_HEADER =
      define(
          "upstreamAccessTokenHeader",
          "Authorization:Bearer",
          "The header that carries the access token to the app and upstream: `Name` or"
              + " `Name:Bearer`; `none` to send none.",
          TokenHeader::parse);
  public static final OidcSetting<Map<String, ClaimPath>> UPSTREAM_CLAIM_HEADERS =
      define(
          "upstreamClaimHeaders",
          null,
          "Claims passed on as headers: comma-separated `Header=claim`, e.g."
              + " `X-Authenticated-User=sub`.",
          OidcSetting::headerMap);
  public static final OidcSetting<String> REALM =
      define("realm", "oidc-gate", "The `realm` in `WWW-Authenticate` challenges.", String::trim);

  // HTTP to the identity provider
  public static final OidcSetting<Duration> HTTP_CONNECT_TIMEOUT =
      define(
          "httpConnectTimeout",
          "5s",
          "Connect timeout for calls to the identity provider.",
          Values::duration);
  public static final OidcSetting<Duration> HTTP_READ_TIMEOUT =
      define(
          "httpReadTimeout",
          "5s",
          "Read timeout for calls to the identity provider.",
          Values::duration);
  public static final OidcSetting<Integer> HTTP_MAX_RESPONSE_SIZE =
      define(
          "httpMaxResponseSize",
          "1048576",
          "Largest response body, in bytes, accepted from the identity provider.",
          Values::positiveInt);

  // Provider metadata and keys
  public static final OidcSetting<Duration> DISCOVERY_REFRESH_INTERVAL =
      define(
          "discoveryRefreshInterval",
          "1h",
          "How often the provider metadata is read again; a failed read keeps the last good one.",
          Values::duration);
  public static final OidcSetting<Duration> DISCOVERY_RETRY_MAX_INTERVAL =
      define(
          "discoveryRetryMaxInterval",
          "60s",
          "While the provider is unreachable, discovery is retried with backoff from 1s up to this"
              + " interval.",
          Values::duration);
  public static final OidcSetting<Duration> JWKS_REFRESH_INTERVAL =
      define(
          "jwksRefreshInterval",
          "1h",
          "How often the signing keys are read again in the background; a failed read keeps the"
              + " last good keys.",
          Values::duration);
  public static final OidcSetting<Duration> JWKS_MIN_REFRESH_INTERVAL =
      define(
          "jwksMinRefreshInterval",
          "30s",
          "An unknown `kid` causes at most one key refetch per this interval, shared by all"
              + " requests.",
          Values::duration);

  // Login and logout
  public static final OidcSetting<List<Credential>> CREDENTIALS =
      define(
          "credentials",
          "session bearer",
          "Which credentials are accepted, in the order they are looked for: `session` (the login"
              + " cookie) and `bearer` (`Authorization: Bearer`). `bearer` alone makes a pure API:"
              + " no login, no session.",
          OidcSetting::credentials);
  public static final OidcSetting<OidcEventListener> EVENT_LISTENER =
      define(
          "eventListener",
          null,
          "A class implementing `dev.oidcgate.oidc.events.OidcEventListener` (public, no-argument"
              + " constructor) that hears logins, refreshes and refusals, for metrics and audit.",
          v -> Values.instanceOf(v, OidcEventListener.class));
  public static final OidcSetting<UnauthenticatedAction> UNAUTHENTICATED_ACTION =
      define(
          "unauthenticatedAction",
          "redirect",
          "Without a credential: `redirect` sends browser navigations to log in (others get 401),"
              + " `deny` always answers 401, `pass` lets the request through anonymously. Without"
              + " `clientSecret` (and `tokenEndpointAuthMethod` other than `none`) the default is"
              + " `deny`.",
          v -> Values.choice(v, UnauthenticatedAction.values(), UnauthenticatedAction::text));
  public static final OidcSetting<String> REDIRECT_URI =
      define(
          "redirectUri",
          null,
          "Where the IdP sends the browser back: an absolute URL or a path under the context."
              + " Default: `callback` under the filter's first URL pattern. May be a protected URL"
              + " itself.",
          String::trim);
  public static final OidcSetting<List<String>> SCOPES =
      define(
          "scopes",
          "openid profile email",
          "The scopes asked for at login; `openid` is always added.",
          Values::words);
  public static final OidcSetting<ResponseMode> RESPONSE_MODE =
      define(
          "responseMode",
          "query",
          "How the IdP returns the code: `query` or `form_post`.",
          v ->
              Values.choice(
                  v,
                  new ResponseMode[] {ResponseMode.QUERY, ResponseMode.FORM_POST},
                  m -> m.getValue()));
  public static final OidcSetting<ClientAuthenticationMethod> TOKEN_ENDPOINT_AUTH_METHOD =
      define(
          "tokenEndpointAuthMethod",
          "client_secret_basic",
          "How the client authenticates at the token endpoint: `client_secret_basic`,"
              + " `client_secret_post` or `none` (a public client; PKCE still applies).",
          v -> authMethod(v, true));
  public static final OidcSetting<Boolean> USER_INFO =
      define(
          "userInfo",
          "false",
          "Whether to call the UserInfo endpoint at login and add its claims (its `sub` must equal"
              + " the ID token's).",
          Values::bool);
  public static final OidcSetting<Duration> REFRESH_LEEWAY =
      define(
          "refreshLeeway",
          "60s",
          "The access token is refreshed this long before it expires (but not in the first half of"
              + " its life), when there is a refresh token.",
          Values::duration);
  public static final OidcSetting<String> LOGOUT_PATH =
      define(
          "logoutPath",
          null,
          "The path (under the context) that ends the session. Default: `logout` under the"
              + " filter's first URL pattern.",
          String::trim);
  public static final OidcSetting<String> POST_LOGOUT_REDIRECT_URI =
      define(
          "postLogoutRedirectUri",
          "/",
          "Where the browser lands after logout: an absolute URL or a path under the context.",
          String::trim);
  public static final OidcSetting<URI> LOGOUT_ENDPOINT =
      define(
          "logoutEndpoint",
          null,
          "The IdP's logout URL. Default: `end_session_endpoint` from discovery. Amazon Cognito:"
              + " `https://<domain>/logout`.",
          Values::httpUri);
  public static final OidcSetting<String> LOGOUT_REDIRECT_PARAMETER =
      define(
          "logoutRedirectParameter",
          "post_logout_redirect_uri",
          "The query parameter that carries `postLogoutRedirectUri` to the IdP; `logout_uri` for"
              + " Amazon Cognito.",
          Values::parameterName);

  // Sessions and cookies
  public static final OidcSetting<SessionStoreKind> SESSION_STORE =
      define(
          "sessionStore",
          "cookie",
          "Where sessions live: `cookie` (encrypted, no server state), `memory` (this JVM) or"
              + " `container` (the servlet container's `HttpSession`).",
          v -> Values.choice(v, SessionStoreKind.values(), SessionStoreKind::text));
  public static final OidcSetting<List<String>> SESSION_SECRET =
      secret(
          "sessionSecret",
          "Secret(s) the session and login cookies are encrypted with, at least 32 characters;"
              + " comma-separated for rotation (the first encrypts). Unset: a random key, sessions"
              + " end at restart.",
          Values::list);
  public static final OidcSetting<String> SESSION_COOKIE_NAME =
      define(
          "sessionCookieName",
          "oidc_session",
          "The session cookie's name (large cookie sessions add `.1`, `.2`, ...).",
          Values::cookieName);
  public static final OidcSetting<String> SESSION_COOKIE_PATH =
      define(
          "sessionCookiePath",
          null,
          "The cookie `Path`. Default: the context path, so one session serves the whole app.",
          String::trim);
  public static final OidcSetting<String> SESSION_COOKIE_DOMAIN =
      define(
          "sessionCookieDomain",
          null,
          "The cookie `Domain`. Default: none (host-only).",
          String::trim);
  public static final OidcSetting<SameSite> SESSION_COOKIE_SAME_SITE =
      define(
          "sessionCookieSameSite",
          "Lax",
          "The cookie `SameSite`: `Lax`, `Strict` or `None` (`None` needs HTTPS). Login cookies"
              + " are never stricter than `Lax`, or the IdP's redirect could not bring them back.",
          v -> Values.choice(v, SameSite.values(), SameSite::text));
  public static final OidcSetting<CookieSecure> SESSION_COOKIE_SECURE =
      define(
          "sessionCookieSecure",
          "auto",
          "The cookie `Secure` flag: `auto` (when the request is HTTPS), `true` or `false`.",
          v -> Values.choice(v, CookieSecure.values(), CookieSecure::text));
  public static final OidcSetting<Boolean> SESSION_COOKIE_HTTP_ONLY =
      define(
          "sessionCookieHttpOnly",
          "true",
          "The cookie `HttpOnly` flag. Leave it on: the cookies hold tokens that no script should"
              + " read; `false` logs a warning.",
          Values::bool);
  public static final OidcSetting<Integer> SESSION_COOKIE_MAX_CHUNKS =
      define(
          "sessionCookieMaxChunks",
          "3",
          "The most cookies one cookie session may be split into.",
          Values::positiveInt);
  public static final OidcSetting<Duration> SESSION_IDLE_TIMEOUT =
      define("sessionIdleTimeout", "30m", "A session unused this long ends.", Values::duration);
  public static final OidcSetting<Duration> SESSION_MAX_LIFETIME =
      define(
          "sessionMaxLifetime",
          "8h",
          "A session ends this long after login, however busy.",
          Values::duration);
  public static final OidcSetting<Integer> SESSION_MAX_ENTRIES =
      define(
          "sessionMaxEntries",
          "10000",
          "The most sessions `sessionStore=memory` keeps.",
          Values::positiveInt);
  public static final OidcSetting<Integer> MAX_LOGINS_IN_FLIGHT =
      define(
          "maxLoginsInFlight",
          "5",
          "The most unfinished logins one browser may have (tabs); the oldest is dropped beyond.",
          Values::positiveInt);
  public static final OidcSetting<Duration> LOGIN_TIMEOUT =
      define(
          "loginTimeout",
          "10m",
          "How long a started login may take before its callback is refused.",
          Values::duration);
  public static final OidcSetting<TokenHeader> UPSTREAM_ID_TOKEN_HEADER =
      define(
          "upstreamIdTokenHeader",
          "none",
          "A header that carries the session's ID token to the app and upstream, or `none`.",
          TokenHeader::parse);
  public static final OidcSetting<TokenHeader> UPSTREAM_USER_INFO_HEADER =
      define(
          "upstreamUserInfoHeader",
          "none",
          "A header that carries the UserInfo claims (base64url JSON) to the app and upstream, or"
              + " `none`.",
          TokenHeader::parse);

  private final String key;
  private final String defaultValue;
  private final boolean secret;
  private final String description;
  private final Function<String, T> parser;

  private OidcSetting(
      String key,
      String defaultValue,
      boolean secret,
      String description,
      Function<String, T> parser) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.description = description;
    this.parser = parser;
  }

  private static <T> OidcSetting<T> define(
      String key, String defaultValue, String description, Function<String, T> parser) {
    OidcSetting<T> s = new OidcSetting<>(key, defaultValue, false, description, parser);
    ALL.add(s);
    return s;
  }

  private static <T> OidcSetting<T> secret(
      String key, String description, Function<String, T> parser) {
    OidcSetting<T> s = new OidcSetting<>(key, null, true, description, parser);
    ALL.add(s);
    return s;
  }

  /** Every key, in documentation order. */
  public static List<OidcSetting<?>> values() {
    return Collections.unmodifiableList(ALL);
  }

  /** The setting with this key, or {@code null}. Keys are case-sensitive, as in {@code web.xml}. */
  public static OidcSetting<?> forKey(String key) {
    for (OidcSetting<?> s : ALL) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** The name used in {@code web.xml}. */
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

  /**
   * Parses a value's text.
   *
   * @throws OidcConfigException naming this key (and quoting the text unless it is a secret)
   */
  public T parse(String text) {
    try {
      return parser.apply(text);
    } catch (OidcConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String shown = secret ? "" : " ('" + abbreviate(text) + "')";
      throw new OidcConfigException(key, e.getMessage() + shown);
    }
  }

  @Override
  public String toString() {
    return key;
  }

  private static String abbreviate(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }

  private static Set<JWSAlgorithm> algorithms(String v) {
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    for (String name : Values.words(v)) {
      JWSAlgorithm alg = JWSAlgorithm.parse(name);
      if (!TokenSettings.ASYMMETRIC_ALGORITHMS.contains(alg)) {
        throw new IllegalArgumentException(
            "unsupported algorithm "
                + name
                + "; choose from "
                + TokenSettings.ASYMMETRIC_ALGORITHMS);
      }
      out.add(alg);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("name at least one algorithm");
    }
    return Collections.unmodifiableSet(out);
  }

  private static List<Credential> credentials(String v) {
    List<Credential> out = new ArrayList<>();
    for (String word : Values.words(v)) {
      Credential c = Values.choice(word, Credential.values(), Credential::text);
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("name session, bearer or both");
    }
    return List.copyOf(out);
  }

  private static Set<JOSEObjectType> types(String v) {
    Set<JOSEObjectType> out = new LinkedHashSet<>();
    for (String t : Values.words(v)) {
      out.add(new JOSEObjectType(t));
    }
    return Collections.unmodifiableSet(out);
  }

  private static ClientAuthenticationMethod authMethod(String v, boolean noneAllowed) {
    ClientAuthenticationMethod m = ClientAuthenticationMethod.parse(v.trim());
    if (m.equals(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        || m.equals(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        || (noneAllowed && m.equals(ClientAuthenticationMethod.NONE))) {
      return m;
    }
    throw new IllegalArgumentException(
        noneAllowed
            ? "write one of client_secret_basic, client_secret_post, none"
            : "write client_secret_basic or client_secret_post");
  }

  private static List<Set<String>> alternatives(String v) {
    List<Set<String>> out = new ArrayList<>();
    for (String entry : Values.list(v)) {
      out.add(Set.copyOf(List.of(entry.split("\\s+"))));
    }
    return List.copyOf(out);
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
    return Collections.unmodifiableMap(out);
  }
}
