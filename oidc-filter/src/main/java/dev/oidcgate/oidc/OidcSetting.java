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
 * Every configuration key, with its default and one line of meaning. This is the single source of the
 * keys: {@code web.xml} init-params are parsed through it, the builder starts from its defaults, and
 * {@code docs/configuration.md} is checked against it by a test. Key names equal the builder's method
 * names.
 */
public enum OidcSetting {
  ISSUER("issuer", null, false,
      "The issuer URL, or its `/.well-known/openid-configuration` URL. Required.",
      (b, v) -> b.issuer(v)),
  CLIENT_ID("clientId", null, false,
      "The client id registered at the identity provider. Required unless `audience` is set.",
      (b, v) -> b.clientId(v)),
  CLIENT_SECRET("clientSecret", null, true,
      "The client secret; needed for token introspection. Use `${env:NAME}` to keep it out of `web.xml`.",
      (b, v) -> b.clientSecret(v)),
  AUDIENCE("audience", null, false,
      "Audiences an access token may carry instead of the client id (comma-separated). Default: the client id.",
      (b, v) -> b.audience(Values.list(v))),
  AUDIENCE_CLAIM("audienceClaim", "aud", false,
      "The claim that holds the audience; `client_id` for Amazon Cognito access tokens.",
      (b, v) -> b.audienceClaim(claim(v))),
  PRINCIPAL_CLAIM("principalClaim", "sub", false,
      "The claim whose value `getUserPrincipal().getName()` and `getRemoteUser()` return.",
      (b, v) -> b.principalClaim(claim(v))),
  ALLOWED_ALGORITHMS("allowedAlgorithms", "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA", false,
      "JWS algorithms accepted for signed tokens. `none` and HMAC (`HS*`) are never accepted.",
      (b, v) -> b.allowedAlgorithms(algorithms(v))),
  ACCESS_TOKEN_TYPES("accessTokenTypes", null, false,
      "When set, the JWT header `typ` an access token must carry, e.g. `at+jwt` (RFC 9068).",
      (b, v) -> b.accessTokenTypes(types(v))),
  CLOCK_SKEW("clockSkew", "60s", false,
      "Leeway for `exp`, `nbf` and `iat`.",
      (b, v) -> b.clockSkew(Values.duration(v))),
  MAX_TOKEN_LENGTH("maxTokenLength", "16384", false,
      "Longer bearer tokens are refused with 401 before any parsing.",
      (b, v) -> b.maxTokenLength(Values.positiveInt(v))),
  INTROSPECTION_ENDPOINT("introspectionEndpoint", null, false,
      "The RFC 7662 introspection endpoint for opaque tokens. Default: `introspection_endpoint` from discovery.",
      (b, v) -> b.introspectionEndpoint(Values.httpUri(v))),
  INTROSPECTION_AUTH_METHOD("introspectionAuthMethod", "client_secret_basic", false,
      "How the client authenticates to the introspection endpoint: `client_secret_basic` or `client_secret_post`.",
      (b, v) -> b.introspectionAuthMethod(authMethod(v))),
  INTROSPECTION_CACHE_TTL("introspectionCacheTtl", "5m", false,
      "The longest an introspection result is reused; never longer than the token lives.",
      (b, v) -> b.introspectionCacheTtl(Values.duration(v))),
  TOKEN_CACHE_SIZE("tokenCacheSize", "10000", false,
      "How many verified tokens are remembered, so a repeated token costs a lookup, not a signature check.",
      (b, v) -> b.tokenCacheSize(Values.positiveInt(v))),
  SCOPES_REQUIRED("scopesRequired", null, false,
      "Access rule: comma-separated alternatives, each a space-separated set of scopes that must all be present.",
      (b, v) -> b.scopesRequired(alternatives(v))),
  SCOPES_CLAIM("scopesClaim", "scope", false,
      "The claim that holds the scopes (a space-separated string or an array; `scp` for Entra ID).",
      (b, v) -> b.scopesClaim(claim(v))),
  AUDIENCE_REQUIRED("audienceRequired", null, false,
      "Access rule on `audienceClaim`, in the same form as `scopesRequired`.",
      (b, v) -> b.audienceRequired(alternatives(v))),
  GROUPS_REQUIRED("groupsRequired", null, false,
      "Access rule on `groupsClaim`, in the same form as `scopesRequired`.",
      (b, v) -> b.groupsRequired(alternatives(v))),
  GROUPS_CLAIM("groupsClaim", "groups", false,
      "The claim that holds the groups; may be a dotted path. `cognito:groups` for Amazon Cognito.",
      (b, v) -> b.groupsClaim(claim(v))),
  ROLES_REQUIRED("rolesRequired", null, false,
      "Access rule on `rolesClaim`, in the same form as `scopesRequired`.",
      (b, v) -> b.rolesRequired(alternatives(v))),
  ROLES_CLAIM("rolesClaim", "roles", false,
      "The claim that holds the roles; may be a dotted path. `realm_access.roles` for Keycloak.",
      (b, v) -> b.rolesClaim(claim(v))),
  UPSTREAM_ACCESS_TOKEN_HEADER("upstreamAccessTokenHeader", "Authorization:Bearer", false,
      "The header that carries the access token to the app and upstream: `Name` or `Name:Bearer`; `none` to send none.",
      (b, v) -> b.upstreamAccessTokenHeader(v)),
  UPSTREAM_CLAIM_HEADERS("upstreamClaimHeaders", null, false,
      "Claims passed on as headers: comma-separated `Header=claim`, e.g. `X-Authenticated-User=sub`.",
      (b, v) -> b.upstreamClaimHeaders(headerMap(v))),
  REALM("realm", "oidc-gate", false,
      "The `realm` in `WWW-Authenticate` challenges.",
      (b, v) -> b.realm(v)),
  HTTP_CONNECT_TIMEOUT("httpConnectTimeout", "5s", false,
      "Connect timeout for calls to the identity provider.",
      (b, v) -> b.httpConnectTimeout(Values.duration(v))),
  HTTP_READ_TIMEOUT("httpReadTimeout", "5s", false,
      "Read timeout for calls to the identity provider.",
      (b, v) -> b.httpReadTimeout(Values.duration(v))),
  HTTP_MAX_RESPONSE_SIZE("httpMaxResponseSize", "1048576", false,
      "Largest response body, in bytes, accepted from the identity provider.",
      (b, v) -> b.httpMaxResponseSize(Values.positiveInt(v))),
  DISCOVERY_REFRESH_INTERVAL("discoveryRefreshInterval", "1h", false,
      "How often the provider metadata is read again; a failed read keeps the last good one.",
      (b, v) -> b.discoveryRefreshInterval(Values.duration(v))),
  DISCOVERY_RETRY_MAX_INTERVAL("discoveryRetryMaxInterval", "60s", false,
      "While the provider is unreachable, discovery is retried with backoff from 1s up to this interval.",
      (b, v) -> b.discoveryRetryMaxInterval(Values.duration(v))),
  JWKS_REFRESH_INTERVAL("jwksRefreshInterval", "1h", false,
      "How often the signing keys are read again in the background; a failed read keeps the last good keys.",
      (b, v) -> b.jwksRefreshInterval(Values.duration(v))),
  JWKS_MIN_REFRESH_INTERVAL("jwksMinRefreshInterval", "30s", false,
      "An unknown `kid` causes at most one key refetch per this interval, shared by all requests.",
      (b, v) -> b.jwksMinRefreshInterval(Values.duration(v)));

  private final String key;
  private final String defaultValue;
  private final boolean secret;
  private final String description;
  private final BiConsumer<OidcConfig.Builder, String> apply;

  OidcSetting(String key, String defaultValue, boolean secret, String description,
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
