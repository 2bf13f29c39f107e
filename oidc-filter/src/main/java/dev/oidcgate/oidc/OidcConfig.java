package dev.oidcgate.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.authz.RequiredValues;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.identity.IdentityHeaders;
import dev.oidcgate.oidc.identity.TokenHeader;
import dev.oidcgate.oidc.provider.IssuerLocation;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration of one filter, as one immutable value. Built in code with {@link
 * #builder()} or from {@code web.xml} init-params with {@link #fromInitParams(Map)}; both start
 * from the defaults in {@link OidcSetting} and are validated once by {@link Builder#build()}, which
 * throws {@link OidcConfigException} naming the key at fault. Thread-safe; two filters never share
 * one.
 */
public final class OidcConfig {

  /**
   * The asymmetric JWS algorithms a token may be signed with; HMAC and {@code none} never qualify.
   */
  public static final Set<JWSAlgorithm> ASYMMETRIC_ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);

  private final IssuerLocation issuer;
  private final String clientId;
  private final Secret clientSecret;
  private final List<String> audience;
  private final ClaimPath audienceClaim;
  private final ClaimPath principalClaim;
  private final Set<JWSAlgorithm> allowedAlgorithms;
  private final Set<JOSEObjectType> accessTokenTypes;
  private final Duration clockSkew;
  private final int maxTokenLength;
  private final URI introspectionEndpoint;
  private final ClientAuthenticationMethod introspectionAuthMethod;
  private final Duration introspectionCacheTtl;
  private final int tokenCacheSize;
  private final ClaimPath scopesClaim;
  private final ClaimPath groupsClaim;
  private final ClaimPath rolesClaim;
  private final AccessRule accessRule;
  private final IdentityHeaders identityHeaders;
  private final String realm;
  private final Duration httpConnectTimeout;
  private final Duration httpReadTimeout;
  private final int httpMaxResponseSize;
  private final Duration discoveryRefreshInterval;
  private final Duration discoveryRetryMaxInterval;
  private final Duration jwksRefreshInterval;
  private final Duration jwksMinRefreshInterval;
  private final List<String> credentials;
  private final UnauthenticatedAction unauthenticatedAction;
  private final String redirectUri;
  private final List<String> scopes;
  private final String responseMode;
  private final String tokenEndpointAuthMethod;
  private final boolean userInfo;
  private final Duration refreshLeeway;
  private final String logoutPath;
  private final String postLogoutRedirectUri;
  private final URI logoutEndpoint;
  private final String logoutRedirectParameter;
  private final String sessionStore;
  private final List<String> sessionSecret;
  private final String sessionCookieName;
  private final String sessionCookiePath;
  private final String sessionCookieDomain;
  private final String sessionCookieSameSite;
  private final String sessionCookieSecure;
  private final boolean sessionCookieHttpOnly;
  private final int sessionCookieMaxChunks;
  private final Duration sessionIdleTimeout;
  private final Duration sessionMaxLifetime;
  private final int sessionMaxEntries;
  private final int maxLoginsInFlight;
  private final Duration loginTimeout;
  private final TokenHeader upstreamIdTokenHeader;
  private final TokenHeader upstreamUserInfoHeader;
  private final Clock clock;
  private final IdpTransport transport;
  private final dev.oidcgate.oidc.events.OidcEventListener eventListener;
  private final dev.oidcgate.oidc.session.SessionStore customSessionStore;

  private OidcConfig(Builder b) {
    this.issuer = b.issuer;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.audience =
        b.audience.isEmpty() && b.clientId != null ? List.of(b.clientId) : List.copyOf(b.audience);
    this.audienceClaim = b.audienceClaim;
    this.principalClaim = b.principalClaim;
    this.allowedAlgorithms = Set.copyOf(b.allowedAlgorithms);
    this.accessTokenTypes = Set.copyOf(b.accessTokenTypes);
    this.clockSkew = b.clockSkew;
    this.maxTokenLength = b.maxTokenLength;
    this.introspectionEndpoint = b.introspectionEndpoint;
    this.introspectionAuthMethod = b.introspectionAuthMethod;
    this.introspectionCacheTtl = b.introspectionCacheTtl;
    this.tokenCacheSize = b.tokenCacheSize;
    this.scopesClaim = b.scopesClaim;
    this.groupsClaim = b.groupsClaim;
    this.rolesClaim = b.rolesClaim;
    this.accessRule =
        new RequiredValues("scope", b.scopesClaim, b.scopesRequired)
            .and(new RequiredValues("audience", b.audienceClaim, b.audienceRequired))
            .and(new RequiredValues("group", b.groupsClaim, b.groupsRequired))
            .and(new RequiredValues("role", b.rolesClaim, b.rolesRequired))
            .and(b.extraRule);
    this.identityHeaders =
        new IdentityHeaders(
            b.upstreamAccessTokenHeader,
            b.upstreamIdTokenHeader,
            b.upstreamUserInfoHeader,
            b.upstreamClaimHeaders);
    this.realm = b.realm;
    this.httpConnectTimeout = b.httpConnectTimeout;
    this.httpReadTimeout = b.httpReadTimeout;
    this.httpMaxResponseSize = b.httpMaxResponseSize;
    this.discoveryRefreshInterval = b.discoveryRefreshInterval;
    this.discoveryRetryMaxInterval = b.discoveryRetryMaxInterval;
    this.jwksRefreshInterval = b.jwksRefreshInterval;
    this.jwksMinRefreshInterval = b.jwksMinRefreshInterval;
    this.credentials = b.credentials;
    this.unauthenticatedAction = b.unauthenticatedAction;
    this.redirectUri = b.redirectUri;
    this.scopes = withOpenid(b.scopes);
    this.responseMode = b.responseMode;
    this.tokenEndpointAuthMethod = b.tokenEndpointAuthMethod;
    this.userInfo = b.userInfo;
    this.refreshLeeway = b.refreshLeeway;
    this.logoutPath = b.logoutPath;
    this.postLogoutRedirectUri = b.postLogoutRedirectUri;
    this.logoutEndpoint = b.logoutEndpoint;
    this.logoutRedirectParameter = b.logoutRedirectParameter;
    this.sessionStore = b.sessionStore;
    this.sessionSecret = List.copyOf(b.sessionSecret);
    this.sessionCookieName = b.sessionCookieName;
    this.sessionCookiePath = b.sessionCookiePath;
    this.sessionCookieDomain = b.sessionCookieDomain;
    this.sessionCookieSameSite = b.sessionCookieSameSite;
    this.sessionCookieSecure = b.sessionCookieSecure;
    this.sessionCookieHttpOnly = b.sessionCookieHttpOnly;
    this.sessionCookieMaxChunks = b.sessionCookieMaxChunks;
    this.sessionIdleTimeout = b.sessionIdleTimeout;
    this.sessionMaxLifetime = b.sessionMaxLifetime;
    this.sessionMaxEntries = b.sessionMaxEntries;
    this.maxLoginsInFlight = b.maxLoginsInFlight;
    this.loginTimeout = b.loginTimeout;
    this.upstreamIdTokenHeader = b.upstreamIdTokenHeader;
    this.upstreamUserInfoHeader = b.upstreamUserInfoHeader;
    this.clock = b.clock;
    this.transport = b.transport;
    this.eventListener = b.eventListener;
    this.customSessionStore = b.customSessionStore;
  }

  private static List<String> withOpenid(List<String> scopes) {
    List<String> out = new ArrayList<>(scopes);
    if (!out.contains("openid")) {
      out.add(0, "openid");
    }
    return List.copyOf(out);
  }

  /** A builder holding every default from {@link OidcSetting}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses filter init-params. Every key must be one of {@link OidcSetting}; values may contain
   * {@code ${env:NAME}} and {@code ${sys:NAME}} placeholders.
   *
   * @throws OidcConfigException naming the first key that is unknown, malformed or missing
   */
  public static OidcConfig fromInitParams(Map<String, String> params) {
    return fromInitParams(params, Placeholders.fromSystem());
  }

  static OidcConfig fromInitParams(Map<String, String> params, Placeholders placeholders) {
    Builder builder = builder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      OidcSetting setting = OidcSetting.forKey(e.getKey());
      if (setting == null) {
        throw new OidcConfigException(
            e.getKey(), "unknown parameter; see docs/configuration.md for the keys");
      }
      String value = placeholders.resolve(e.getKey(), e.getValue());
      if (value != null && !value.isBlank()) {
        setting.applyTo(builder, value.trim());
      }
    }
    return builder.build();
  }

  public IssuerLocation issuer() {
    return issuer;
  }

  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  public Optional<Secret> clientSecret() {
    return Optional.ofNullable(clientSecret);
  }

  /** The audiences an access token is accepted for: {@code audience}, or else the client id. */
  public List<String> audience() {
    return audience;
  }

  public ClaimPath audienceClaim() {
    return audienceClaim;
  }

  public ClaimPath principalClaim() {
    return principalClaim;
  }

  public Set<JWSAlgorithm> allowedAlgorithms() {
    return allowedAlgorithms;
  }

  /** Empty when any {@code typ} (or none) is accepted. */
  public Set<JOSEObjectType> accessTokenTypes() {
    return accessTokenTypes;
  }

  public Duration clockSkew() {
    return clockSkew;
  }

  public int maxTokenLength() {
    return maxTokenLength;
  }

  public Optional<URI> introspectionEndpoint() {
    return Optional.ofNullable(introspectionEndpoint);
  }

  public ClientAuthenticationMethod introspectionAuthMethod() {
    return introspectionAuthMethod;
  }

  public Duration introspectionCacheTtl() {
    return introspectionCacheTtl;
  }

  public int tokenCacheSize() {
    return tokenCacheSize;
  }

  public ClaimPath scopesClaim() {
    return scopesClaim;
  }

  public ClaimPath groupsClaim() {
    return groupsClaim;
  }

  public ClaimPath rolesClaim() {
    return rolesClaim;
  }

  /** The configured access rules as one rule. */
  public AccessRule accessRule() {
    return accessRule;
  }

  public IdentityHeaders identityHeaders() {
    return identityHeaders;
  }

  public String realm() {
    return realm;
  }

  public Duration httpConnectTimeout() {
    return httpConnectTimeout;
  }

  public Duration httpReadTimeout() {
    return httpReadTimeout;
  }

  public int httpMaxResponseSize() {
    return httpMaxResponseSize;
  }

  public Duration discoveryRefreshInterval() {
    return discoveryRefreshInterval;
  }

  public Duration discoveryRetryMaxInterval() {
    return discoveryRetryMaxInterval;
  }

  public Duration jwksRefreshInterval() {
    return jwksRefreshInterval;
  }

  public Duration jwksMinRefreshInterval() {
    return jwksMinRefreshInterval;
  }

  /** {@code session} and/or {@code bearer}, in the order they are looked for. */
  public List<String> credentials() {
    return credentials;
  }

  public UnauthenticatedAction unauthenticatedAction() {
    return unauthenticatedAction;
  }

  /**
   * The redirect URI as configured (absolute URL or path), or empty for the default under the
   * filter's mapping.
   */
  public Optional<String> redirectUri() {
    return Optional.ofNullable(redirectUri);
  }

  public List<String> scopes() {
    return scopes;
  }

  public String responseMode() {
    return responseMode;
  }

  public String tokenEndpointAuthMethod() {
    return tokenEndpointAuthMethod;
  }

  public boolean userInfo() {
    return userInfo;
  }

  public Duration refreshLeeway() {
    return refreshLeeway;
  }

  /** The logout path as configured, or empty for the default under the filter's mapping. */
  public Optional<String> logoutPath() {
    return Optional.ofNullable(logoutPath);
  }

  public String postLogoutRedirectUri() {
    return postLogoutRedirectUri;
  }

  /** The IdP logout URL as configured, or empty to use discovery's {@code end_session_endpoint}. */
  public Optional<URI> logoutEndpoint() {
    return Optional.ofNullable(logoutEndpoint);
  }

  public String logoutRedirectParameter() {
    return logoutRedirectParameter;
  }

  public String sessionStore() {
    return sessionStore;
  }

  /** Empty when none is set (a random key is used). Never logged. */
  public List<String> sessionSecret() {
    return sessionSecret;
  }

  public String sessionCookieName() {
    return sessionCookieName;
  }

  /** The cookie path as configured, or empty for the context path. */
  public Optional<String> sessionCookiePath() {
    return Optional.ofNullable(sessionCookiePath);
  }

  /** The cookie domain, or empty for a host-only cookie. */
  public Optional<String> sessionCookieDomain() {
    return Optional.ofNullable(sessionCookieDomain);
  }

  public String sessionCookieSameSite() {
    return sessionCookieSameSite;
  }

  public String sessionCookieSecure() {
    return sessionCookieSecure;
  }

  public boolean sessionCookieHttpOnly() {
    return sessionCookieHttpOnly;
  }

  public int sessionCookieMaxChunks() {
    return sessionCookieMaxChunks;
  }

  public Duration sessionIdleTimeout() {
    return sessionIdleTimeout;
  }

  public Duration sessionMaxLifetime() {
    return sessionMaxLifetime;
  }

  public int sessionMaxEntries() {
    return sessionMaxEntries;
  }

  public int maxLoginsInFlight() {
    return maxLoginsInFlight;
  }

  public Duration loginTimeout() {
    return loginTimeout;
  }

  public TokenHeader upstreamIdTokenHeader() {
    return upstreamIdTokenHeader;
  }

  public TokenHeader upstreamUserInfoHeader() {
    return upstreamUserInfoHeader;
  }

  /** The event listener; {@code OidcEventListener.NONE} unless one is set. */
  public dev.oidcgate.oidc.events.OidcEventListener eventListener() {
    return eventListener;
  }

  public Clock clock() {
    return clock;
  }

  /** The session store set in code, or empty to use {@code sessionStore}. */
  public Optional<dev.oidcgate.oidc.session.SessionStore> customSessionStore() {
    return Optional.ofNullable(customSessionStore);
  }

  /**
   * Whether this filter can log browsers in (a client id and a way to authenticate at the token
   * endpoint).
   */
  public boolean loginEnabled() {
    return credentials.contains("session")
        && clientId != null
        && (clientSecret != null || tokenEndpointAuthMethod.equals("none"));
  }

  /** The transport set in code, or empty for the default Apache HttpClient 5 transport. */
  public Optional<IdpTransport> transport() {
    return Optional.ofNullable(transport);
  }

  /**
   * Collects settings; not thread-safe. Method names equal the {@code web.xml} keys. {@link
   * #build()} validates the whole and may be called once per value wanted.
   */
  public static final class Builder {

    private IssuerLocation issuer;
    private String clientId;
    private Secret clientSecret;
    private List<String> audience = List.of();
    private ClaimPath audienceClaim;
    private ClaimPath principalClaim;
    private Set<JWSAlgorithm> allowedAlgorithms;
    private Set<JOSEObjectType> accessTokenTypes = Set.of();
    private Duration clockSkew;
    private int maxTokenLength;
    private URI introspectionEndpoint;
    private ClientAuthenticationMethod introspectionAuthMethod;
    private Duration introspectionCacheTtl;
    private int tokenCacheSize;
    private List<Set<String>> scopesRequired = List.of();
    private ClaimPath scopesClaim;
    private List<Set<String>> audienceRequired = List.of();
    private List<Set<String>> groupsRequired = List.of();
    private ClaimPath groupsClaim;
    private List<Set<String>> rolesRequired = List.of();
    private ClaimPath rolesClaim;
    private TokenHeader upstreamAccessTokenHeader;
    private Map<String, ClaimPath> upstreamClaimHeaders = Map.of();
    private String realm;
    private Duration httpConnectTimeout;
    private Duration httpReadTimeout;
    private int httpMaxResponseSize;
    private Duration discoveryRefreshInterval;
    private Duration discoveryRetryMaxInterval;
    private Duration jwksRefreshInterval;
    private Duration jwksMinRefreshInterval;
    private List<String> credentials;
    private UnauthenticatedAction unauthenticatedAction;
    private String redirectUri;
    private List<String> scopes;
    private String responseMode;
    private String tokenEndpointAuthMethod;
    private boolean userInfo;
    private Duration refreshLeeway;
    private String logoutPath;
    private String postLogoutRedirectUri;
    private URI logoutEndpoint;
    private String logoutRedirectParameter;
    private String sessionStore;
    private List<String> sessionSecret = List.of();
    private String sessionCookieName;
    private String sessionCookiePath;
    private String sessionCookieDomain;
    private String sessionCookieSameSite;
    private String sessionCookieSecure;
    private boolean sessionCookieHttpOnly;
    private int sessionCookieMaxChunks;
    private Duration sessionIdleTimeout;
    private Duration sessionMaxLifetime;
    private int sessionMaxEntries;
    private int maxLoginsInFlight;
    private Duration loginTimeout;
    private TokenHeader upstreamIdTokenHeader;
    private TokenHeader upstreamUserInfoHeader;
    private boolean actionSetExplicitly;
    private dev.oidcgate.oidc.session.SessionStore customSessionStore;
    private AccessRule extraRule = AccessRule.ALLOW_AUTHENTICATED;
    private Clock clock = Clock.systemUTC();
    private dev.oidcgate.oidc.events.OidcEventListener eventListener =
        dev.oidcgate.oidc.events.OidcEventListener.NONE;
    private IdpTransport transport;

    private Builder() {
      for (OidcSetting s : OidcSetting.values()) {
        if (s.defaultValue() != null) {
          s.applyTo(this, s.defaultValue());
        }
      }
      actionSetExplicitly = false;
    }

    /** Sets a value from its text, exactly as an init-param would. */
    public Builder set(String key, String value) {
      OidcSetting setting = OidcSetting.forKey(key);
      if (setting == null) {
        throw new OidcConfigException(
            key, "unknown parameter; see docs/configuration.md for the keys");
      }
      setting.applyTo(this, value);
      return this;
    }

    public Builder issuer(String issuerOrDiscoveryUrl) {
      try {
        this.issuer = IssuerLocation.parse(issuerOrDiscoveryUrl);
      } catch (IllegalArgumentException e) {
        throw new OidcConfigException(
            OidcSetting.ISSUER.key(), e.getMessage() + " ('" + issuerOrDiscoveryUrl + "')");
      }
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    public Builder clientSecret(String clientSecret) {
      this.clientSecret = clientSecret == null ? null : new Secret(clientSecret);
      return this;
    }

    public Builder audience(List<String> audience) {
      this.audience = List.copyOf(audience);
      return this;
    }

    public Builder audienceClaim(ClaimPath claim) {
      this.audienceClaim = Objects.requireNonNull(claim);
      return this;
    }

    public Builder principalClaim(ClaimPath claim) {
      this.principalClaim = Objects.requireNonNull(claim);
      return this;
    }

    public Builder allowedAlgorithms(Set<JWSAlgorithm> algorithms) {
      for (JWSAlgorithm alg : algorithms) {
        if (!ASYMMETRIC_ALGORITHMS.contains(alg)) {
          throw new OidcConfigException(
              OidcSetting.ALLOWED_ALGORITHMS.key(), "unsupported algorithm " + alg);
        }
      }
      this.allowedAlgorithms = new LinkedHashSet<>(algorithms);
      return this;
    }

    public Builder accessTokenTypes(Set<JOSEObjectType> types) {
      this.accessTokenTypes = Set.copyOf(types);
      return this;
    }

    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = Objects.requireNonNull(clockSkew);
      return this;
    }

    public Builder maxTokenLength(int maxTokenLength) {
      this.maxTokenLength = maxTokenLength;
      return this;
    }

    public Builder introspectionEndpoint(URI endpoint) {
      this.introspectionEndpoint = endpoint;
      return this;
    }

    public Builder introspectionAuthMethod(ClientAuthenticationMethod method) {
      this.introspectionAuthMethod = Objects.requireNonNull(method);
      return this;
    }

    public Builder introspectionCacheTtl(Duration ttl) {
      this.introspectionCacheTtl = Objects.requireNonNull(ttl);
      return this;
    }

    public Builder tokenCacheSize(int size) {
      this.tokenCacheSize = size;
      return this;
    }

    public Builder scopesRequired(List<Set<String>> alternatives) {
      this.scopesRequired = copy(alternatives);
      return this;
    }

    public Builder scopesClaim(ClaimPath claim) {
      this.scopesClaim = Objects.requireNonNull(claim);
      return this;
    }

    public Builder audienceRequired(List<Set<String>> alternatives) {
      this.audienceRequired = copy(alternatives);
      return this;
    }

    public Builder groupsRequired(List<Set<String>> alternatives) {
      this.groupsRequired = copy(alternatives);
      return this;
    }

    public Builder groupsClaim(ClaimPath claim) {
      this.groupsClaim = Objects.requireNonNull(claim);
      return this;
    }

    public Builder rolesRequired(List<Set<String>> alternatives) {
      this.rolesRequired = copy(alternatives);
      return this;
    }

    public Builder rolesClaim(ClaimPath claim) {
      this.rolesClaim = Objects.requireNonNull(claim);
      return this;
    }

    /** {@code Name}, {@code Name:Bearer} or {@code none}. */
    public Builder upstreamAccessTokenHeader(String header) {
      this.upstreamAccessTokenHeader = TokenHeader.parse(header);
      return this;
    }

    /** Header name to claim; the order is kept. */
    public Builder upstreamClaimHeaders(Map<String, ClaimPath> headers) {
      try {
        new IdentityHeaders(
            TokenHeader.NONE, headers); // checks the header names now, not per request
      } catch (IllegalArgumentException e) {
        throw new OidcConfigException(OidcSetting.UPSTREAM_CLAIM_HEADERS.key(), e.getMessage());
      }
      this.upstreamClaimHeaders = new LinkedHashMap<>(headers);
      return this;
    }

    public Builder realm(String realm) {
      this.realm = Objects.requireNonNull(realm);
      return this;
    }

    public Builder httpConnectTimeout(Duration timeout) {
      this.httpConnectTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public Builder httpReadTimeout(Duration timeout) {
      this.httpReadTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public Builder httpMaxResponseSize(int bytes) {
      this.httpMaxResponseSize = bytes;
      return this;
    }

    public Builder discoveryRefreshInterval(Duration interval) {
      this.discoveryRefreshInterval = Objects.requireNonNull(interval);
      return this;
    }

    public Builder discoveryRetryMaxInterval(Duration interval) {
      this.discoveryRetryMaxInterval = Objects.requireNonNull(interval);
      return this;
    }

    public Builder jwksRefreshInterval(Duration interval) {
      this.jwksRefreshInterval = Objects.requireNonNull(interval);
      return this;
    }

    public Builder jwksMinRefreshInterval(Duration interval) {
      this.jwksMinRefreshInterval = Objects.requireNonNull(interval);
      return this;
    }

    public Builder credentials(List<String> value) {
      this.credentials = List.copyOf(value);
      return this;
    }

    public Builder unauthenticatedAction(UnauthenticatedAction value) {
      this.unauthenticatedAction = Objects.requireNonNull(value);
      this.actionSetExplicitly = true;
      return this;
    }

    public Builder redirectUri(String value) {
      this.redirectUri = value;
      return this;
    }

    public Builder scopes(List<String> value) {
      this.scopes = List.copyOf(value);
      return this;
    }

    public Builder responseMode(String value) {
      this.responseMode = Objects.requireNonNull(value);
      return this;
    }

    public Builder tokenEndpointAuthMethod(String value) {
      this.tokenEndpointAuthMethod = Objects.requireNonNull(value);
      return this;
    }

    public Builder userInfo(boolean value) {
      this.userInfo = value;
      return this;
    }

    public Builder refreshLeeway(Duration value) {
      this.refreshLeeway = Objects.requireNonNull(value);
      return this;
    }

    public Builder logoutPath(String value) {
      this.logoutPath = value;
      return this;
    }

    public Builder postLogoutRedirectUri(String value) {
      this.postLogoutRedirectUri = Objects.requireNonNull(value);
      return this;
    }

    public Builder logoutEndpoint(URI value) {
      this.logoutEndpoint = value;
      return this;
    }

    public Builder logoutRedirectParameter(String value) {
      this.logoutRedirectParameter = Objects.requireNonNull(value);
      return this;
    }

    public Builder sessionStore(String value) {
      this.sessionStore = Objects.requireNonNull(value);
      return this;
    }

    public Builder sessionSecret(List<String> value) {
      this.sessionSecret = List.copyOf(value);
      return this;
    }

    public Builder sessionCookieName(String value) {
      this.sessionCookieName = Objects.requireNonNull(value);
      return this;
    }

    public Builder sessionCookiePath(String value) {
      this.sessionCookiePath = value;
      return this;
    }

    public Builder sessionCookieDomain(String value) {
      this.sessionCookieDomain = value;
      return this;
    }

    public Builder sessionCookieSameSite(String value) {
      this.sessionCookieSameSite = Objects.requireNonNull(value);
      return this;
    }

    public Builder sessionCookieSecure(String value) {
      this.sessionCookieSecure = Objects.requireNonNull(value);
      return this;
    }

    public Builder sessionCookieHttpOnly(boolean value) {
      this.sessionCookieHttpOnly = value;
      return this;
    }

    public Builder sessionCookieMaxChunks(int value) {
      this.sessionCookieMaxChunks = value;
      return this;
    }

    public Builder sessionIdleTimeout(Duration value) {
      this.sessionIdleTimeout = Objects.requireNonNull(value);
      return this;
    }

    public Builder sessionMaxLifetime(Duration value) {
      this.sessionMaxLifetime = Objects.requireNonNull(value);
      return this;
    }

    public Builder sessionMaxEntries(int value) {
      this.sessionMaxEntries = value;
      return this;
    }

    public Builder maxLoginsInFlight(int value) {
      this.maxLoginsInFlight = value;
      return this;
    }

    public Builder loginTimeout(Duration value) {
      this.loginTimeout = Objects.requireNonNull(value);
      return this;
    }

    /** {@code Name}, {@code Name:Scheme} or {@code none}. */
    public Builder upstreamIdTokenHeader(String header) {
      this.upstreamIdTokenHeader = TokenHeader.parse(header);
      return this;
    }

    /** {@code Name}, {@code Name:Scheme} or {@code none}. */
    public Builder upstreamUserInfoHeader(String header) {
      this.upstreamUserInfoHeader = TokenHeader.parse(header);
      return this;
    }

    /** A rule checked after the configured ones (code only; there is no init-param for it). */
    public Builder accessRule(AccessRule rule) {
      this.extraRule = Objects.requireNonNull(rule);
      return this;
    }

    /** The clock every expiry decision is made with (code only; for tests and odd deployments). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * A session store of your own (code only), e.g. a Redis-backed one; overrides {@code
     * sessionStore}.
     */
    public Builder sessionStore(dev.oidcgate.oidc.session.SessionStore store) {
      this.customSessionStore = Objects.requireNonNull(store);
      return this;
    }

    /** Hears logins, refreshes and refusals (see {@code OidcEventListener}). */
    public Builder eventListener(dev.oidcgate.oidc.events.OidcEventListener listener) {
      this.eventListener = Objects.requireNonNull(listener);
      return this;
    }

    /** Replaces the HTTP transport to the identity provider (code only). */
    public Builder transport(IdpTransport transport) {
      this.transport = Objects.requireNonNull(transport);
      return this;
    }

    /**
     * @throws OidcConfigException naming the key when a required value is missing or values
     *     contradict
     */
    public OidcConfig build() {
      if (issuer == null) {
        throw new OidcConfigException(OidcSetting.ISSUER.key(), "is required");
      }
      if (clientId != null && clientId.isBlank()) {
        clientId = null;
      }
      if (clientId == null && audience.isEmpty()) {
        throw new OidcConfigException(
            OidcSetting.CLIENT_ID.key(),
            "is required (or set audience) so that tokens meant for other clients are refused");
      }
      if (introspectionEndpoint != null && clientSecret == null) {
        throw new OidcConfigException(
            OidcSetting.CLIENT_SECRET.key(), "is required when introspectionEndpoint is set");
      }
      if (introspectionEndpoint != null && clientId == null) {
        throw new OidcConfigException(
            OidcSetting.CLIENT_ID.key(), "is required when introspectionEndpoint is set");
      }
      boolean canLogIn =
          credentials.contains("session")
              && clientId != null
              && (clientSecret != null || tokenEndpointAuthMethod.equals("none"));
      if (unauthenticatedAction == UnauthenticatedAction.REDIRECT && !canLogIn) {
        if (actionSetExplicitly && !credentials.contains("session")) {
          throw new OidcConfigException(
              OidcSetting.UNAUTHENTICATED_ACTION.key(),
              "redirect needs session among the credentials");
        }
        if (actionSetExplicitly) {
          throw new OidcConfigException(
              OidcSetting.CLIENT_SECRET.key(),
              "is required for login with "
                  + tokenEndpointAuthMethod
                  + " (or set tokenEndpointAuthMethod=none for a public client)");
        }
        unauthenticatedAction =
            UnauthenticatedAction.DENY; // a pure resource server: nobody to log in
      }
      if (sessionCookieSameSite.equals("None") && sessionCookieSecure.equals("false")) {
        throw new OidcConfigException(
            OidcSetting.SESSION_COOKIE_SAME_SITE.key(),
            "None needs Secure cookies; sessionCookieSecure must not be false");
      }
      if (sessionIdleTimeout.compareTo(sessionMaxLifetime) > 0) {
        throw new OidcConfigException(
            OidcSetting.SESSION_IDLE_TIMEOUT.key(), "must not exceed sessionMaxLifetime");
      }
      for (String secret : sessionSecret) {
        if (secret.length() < 32) {
          throw new OidcConfigException(
              OidcSetting.SESSION_SECRET.key(), "each secret must be at least 32 characters");
        }
      }
      if (!logoutRedirectParameter.matches("[A-Za-z0-9_.\\-]+")) {
        throw new OidcConfigException(
            OidcSetting.LOGOUT_REDIRECT_PARAMETER.key(), "not a parameter name");
      }
      return new OidcConfig(this);
    }

    private static List<Set<String>> copy(List<Set<String>> alternatives) {
      List<Set<String>> out = new ArrayList<>();
      for (Set<String> set : alternatives) {
        out.add(Set.copyOf(set));
      }
      return List.copyOf(out);
    }
  }
}
