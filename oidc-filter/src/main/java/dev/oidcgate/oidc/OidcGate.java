package dev.oidcgate.oidc;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.cluster.Cluster;
import dev.oidcgate.oidc.cluster.LogoutRecords;
import dev.oidcgate.oidc.config.AuthorizationRequestSettings;
import dev.oidcgate.oidc.config.DpopTokenSettings;
import dev.oidcgate.oidc.config.GroupsOverageSettings;
import dev.oidcgate.oidc.config.HttpSettings;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.config.ProviderProfile;
import dev.oidcgate.oidc.config.ProviderSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.http.HttpClient5Transport;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.identity.Callers;
import dev.oidcgate.oidc.idp.GroupsOverage;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.IdpClients;
import dev.oidcgate.oidc.idp.MicrosoftGraphClient;
import dev.oidcgate.oidc.login.BackchannelLogout;
import dev.oidcgate.oidc.login.LoginAssembly;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.login.SessionClaims;
import dev.oidcgate.oidc.provider.IssuerMismatchException;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.provider.ProviderDetection;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.token.AccessTokenValidator;
import dev.oidcgate.oidc.token.DpopProofs;
import dev.oidcgate.oidc.token.IssuerRule;
import dev.oidcgate.oidc.token.TokenValidators;
import dev.oidcgate.oidc.token.VerifiedToken;
import dev.oidcgate.oidc.upstream.UpstreamTokens;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol side of one filter, with no servlet types: it owns the provider metadata, the key
 * cache, the token validators, the login flow and the access rule, and turns a credential into a
 * {@link Caller} or an error. Created by {@link #start(OidcConfig)}, closed with the filter.
 * Thread-safe.
 */
public final class OidcGate implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OidcGate.class);

  /** How long one DPoP server nonce is handed out (and accepted for as long again). */
  private static final Duration NONCE_PERIOD = Duration.ofMinutes(5);

  private final OidcConfig config;
  private final SafeEvents events;
  private final ScheduledExecutorService scheduler;
  private final List<AutoCloseable> ownedTransports = new ArrayList<>();
  private final ProviderMetadataSource provider;
  private final AccessTokenValidator validator;
  private final Callers callers;
  private final @Nullable LoginFlow login;
  private final @Nullable Cluster cluster;
  private final @Nullable BackchannelLogout backchannelLogout;
  private final GroupsOverage groupsOverage;
  private final @Nullable DpopProofs dpop;
  private final UpstreamTokens upstreamTokens;

  private OidcGate(OidcConfig config, boolean severalIssuers) {
    this.config = config;
    // First: it is what may refuse to start (redisUri), before threads exist to leak. DPoP proofs
    // need it too, for their replay records, also where nobody logs in.
    this.cluster =
        config.login().enabled() || config.dpopTokens().accepted() ? Cluster.start(config) : null;
    this.events = new SafeEvents(config.extensions().eventListener());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "oidc-gate-refresh");
              t.setDaemon(true);
              return t;
            });
    HttpSettings http = config.http();
    IdpTransport transport =
        config
            .extensions()
            .transport()
            .orElseGet(
                () ->
                    own(
                        new HttpClient5Transport(
                            http.connectTimeout(), http.readTimeout(), http.maxResponseSize())));
    // Introspection has connections of its own, as many as calls may be in flight: a flood of
    // opaque tokens then cannot take the connections logins and key fetches need.
    IdpTransport introspectionTransport =
        config
            .extensions()
            .transport()
            .orElseGet(
                () ->
                    own(
                        new HttpClient5Transport(
                            http.connectTimeout(),
                            http.readTimeout(),
                            http.maxResponseSize(),
                            config.tokens().introspectionMaxConcurrent())));
    var clock = config.extensions().clock();
    this.provider =
        new ProviderMetadataSource(
            config.provider().issuer(),
            transport,
            clock,
            config.provider().discoveryRefreshInterval(),
            config.provider().discoveryRetryMaxInterval(),
            scheduler);
    ProviderSettings p = config.provider();
    JwksCache keys =
        new JwksCache(
            () -> provider.current().getJWKSetURI(),
            transport,
            clock,
            new JwksCache.Timing(
                p.jwksRefreshInterval(),
                p.jwksMinRefreshInterval(),
                p.jwksRefetchBurst(),
                p.jwksRetryMaxInterval()),
            scheduler,
            succeeded -> events.fire(l -> l.keysFetched(succeeded)));
    IdpClient idp =
        IdpClients.of(
            provider,
            transport,
            config.client(),
            config.clientKey(),
            config.provider().issuer().issuer(),
            clock);
    this.validator =
        TokenValidators.create(
            config.tokens(),
            config.client().clientId(),
            IssuerRule.of(config.provider()),
            clock,
            keys,
            IdpClients.of(
                provider,
                introspectionTransport,
                config.client(),
                config.clientKey(),
                config.provider().issuer().issuer(),
                clock),
            this::introspectionEndpoint,
            events);
    this.callers =
        new Callers(
            config.access(),
            config.upstream().identityHeaders(),
            config.tokens().tokenCacheSize(),
            config.provider().issuer().issuer(),
            severalIssuers);
    this.groupsOverage = groupsOverage(config, idp, transport);
    this.login =
        cluster == null || !config.login().enabled()
            ? null
            : LoginAssembly.create(config, provider, keys, idp, events, cluster);
    this.backchannelLogout =
        cluster == null || !config.login().enabled()
            ? null
            : LoginAssembly.backchannelLogout(config, keys, cluster);
    this.dpop = dpopProofs(config, cluster);
    this.upstreamTokens =
        new UpstreamTokens(
            idp,
            clock,
            events,
            cluster != null && cluster.isShared() ? cluster.upstreamTokenRecords() : null);
  }

  private static @Nullable DpopProofs dpopProofs(OidcConfig config, @Nullable Cluster cluster) {
    if (cluster == null) {
      return null; // dpopTokens=refuse, and no login
    }
    DpopTokenSettings settings = config.dpopTokens();
    return new DpopProofs(
        settings,
        config.tokens().clockSkew(),
        cluster.replayGuard(),
        settings.nonce() ? cluster.serverNonces(NONCE_PERIOD, config.extensions().clock()) : null);
  }

  private static GroupsOverage groupsOverage(
      OidcConfig config, IdpClient idp, IdpTransport transport) {
    GroupsOverageSettings g = config.groupsOverage();
    if (!g.graph()) {
      return GroupsOverage.OFF;
    }
    MicrosoftGraphClient graph =
        new MicrosoftGraphClient(
            g.graphEndpoint(),
            g.graphScope(),
            idp,
            transport,
            config.provider().issuer().tenantTemplate().isPresent(),
            config.extensions().clock());
    return new GroupsOverage(graph, g.cacheTtl(), config.extensions().clock());
  }

  private <T extends AutoCloseable> T own(T transport) {
    ownedTransports.add(transport);
    return transport;
  }

  /**
   * Builds the runtime and reads the provider's metadata once. An unreachable provider does not
   * stop start-up (requests get 503 until it answers); a provider that names another issuer does.
   *
   * @throws OidcConfigException naming {@code issuer} when the discovery document is for another
   *     issuer
   */
  public static OidcGate start(OidcConfig config) {
    return start(config, !config.provider().additionalIssuers().isEmpty());
  }

  /**
   * @param severalIssuers whether the filter accepts several issuers (this one being any of them),
   *     so callers are told apart by their issuer too
   */
  static OidcGate start(OidcConfig config, boolean severalIssuers) {
    OidcGate gate = startOnce(config, severalIssuers);
    Optional<ProviderProfile> named = gate.providerNamedByDiscovery();
    if (named.isEmpty()) {
      return gate;
    }
    // The quirks shape the validators and the login flow, so they are built again with them.
    LOG.info(
        "Identity provider {} looks like {}; applying its profile",
        config.provider().issuer(),
        named.get().text());
    gate.close();
    return startOnce(config.withProvider(named.get()), severalIssuers);
  }

  private Optional<ProviderProfile> providerNamedByDiscovery() {
    if (!config.provider().profileFromDiscovery() || !provider.isReady()) {
      return Optional.empty();
    }
    try {
      return ProviderDetection.fromDiscovery(provider.current());
    } catch (OidcErrorException e) {
      return Optional.empty();
    }
  }

  private static OidcGate startOnce(OidcConfig config, boolean severalIssuers) {
    OidcGate gate = new OidcGate(config, severalIssuers);
    try {
      gate.provider.start();
    } catch (IssuerMismatchException e) {
      gate.close();
      // IssuerMismatchException's message always names both issuers.
      throw new OidcConfigException(
          ProviderSettings.ISSUER.key(), Objects.requireNonNull(e.getMessage()));
    }
    if (config.authorizationRequest().pushed() == AuthorizationRequestSettings.PushedRequests.ALWAYS
        && gate.login != null
        && gate.provider.isReady()
        && gate.readyMetadata().getPushedAuthorizationRequestEndpointURI() == null) {
      gate.close();
      throw new OidcConfigException(
          AuthorizationRequestSettings.PUSHED_AUTHORIZATION_REQUESTS.key(),
          "is always, but the identity provider's metadata names no"
              + " pushed_authorization_request_endpoint");
    }
    return gate;
  }

  /** The tokens that go upstream where {@code upstreamToken} is not {@code caller}. */
  public UpstreamTokens upstreamTokens() {
    return upstreamTokens;
  }

  private com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata readyMetadata() {
    try {
      return provider.current();
    } catch (OidcErrorException e) {
      throw new IllegalStateException("read while ready", e);
    }
  }

  public OidcConfig config() {
    return config;
  }

  /** The identifier of this gate's issuer, as configured. */
  public String issuer() {
    return config.provider().issuer().issuer();
  }

  /** Whether the provider's metadata has been read. */
  public boolean isProviderReady() {
    return provider.isReady();
  }

  /**
   * Validates a bearer token and applies the access rules.
   *
   * @throws OidcErrorException 401 for a bad token, 403 when the rules refuse, 503 when the
   *     provider is needed and unreachable
   */
  public Caller authenticateBearer(String token) throws OidcErrorException {
    return authenticateBearer(token, AccessRule.ALLOW_AUTHENTICATED);
  }

  /**
   * Like {@link #authenticateBearer(String)}, with {@code pathRule} (the request path's own rule)
   * checked after the filter-wide rules.
   */
  public Caller authenticateBearer(String token, AccessRule pathRule) throws OidcErrorException {
    return authenticateBearer(token, null, pathRule);
  }

  /**
   * Like {@link #authenticateBearer(String, AccessRule)}, with how the token was presented: a token
   * bound to a DPoP key ({@code cnf.jkt}) passes only with the {@code DPoP} scheme and a valid
   * proof, as {@code dpopTokens} says (RFC 9449 §7).
   *
   * @param presented the scheme, proof, method and public URL; {@code null} for a bearer token
   *     whose request is not known (then a bound token is refused)
   * @throws OidcErrorException also 401 with a {@code DPoP} challenge for a refused proof or
   *     binding
   */
  public Caller authenticateBearer(
      String token, DpopProofs.@Nullable Presentation presented, AccessRule pathRule)
      throws OidcErrorException {
    if (presented != null && presented.dpopScheme() && dpop == null) {
      throw OidcErrors.invalidToken("DPoP-bound tokens are not accepted here");
    }
    provider.current(); // 503 before anything else while the provider was never reached
    VerifiedToken verified;
    try {
      verified = validator.validate(token);
    } catch (OidcErrorException e) {
      if (e.error().status() == 401) {
        events.fire(l -> l.validationFailed(e.error().code(), e.error().description()));
      }
      throw e;
    }
    checkBinding(token, presented, verified.claims());
    Map<String, Object> claims = groupsOverage.resolve(verified.claims());
    Object sub = claims.get("sub");
    requireAllowed(claims, sub instanceof String ? (String) sub : null, pathRule);
    return callers.forBearer(token, claims);
  }

  private void checkBinding(
      String token, DpopProofs.@Nullable Presentation presented, Map<String, Object> claims)
      throws OidcErrorException {
    try {
      if (dpop != null) {
        dpop.check(token, presented != null ? presented : DpopProofs.Presentation.BEARER, claims);
      } else if (DpopProofs.thumbprint(claims) != null) {
        throw OidcErrors.invalidToken("DPoP-bound tokens are not accepted here");
      }
    } catch (OidcErrorException e) {
      if (e.error().status() == 401) {
        events.fire(l -> l.validationFailed(e.error().code(), e.error().description()));
      }
      throw e;
    }
  }

  /** The DPoP nonce to hand out now, when {@code dpopNonce=on}. */
  public Optional<String> dpopNonce() {
    return dpop == null ? Optional.empty() : dpop.currentNonce();
  }

  /** The login flow, or empty when this filter cannot log browsers in (no client secret). */
  /** Where form posts are kept while their browser logs in; empty unless {@code preservePost}. */
  public Optional<dev.oidcgate.oidc.cluster.PreservedPosts> preservedPosts() {
    return cluster == null || !config.browser().preservePost()
        ? Optional.empty()
        : Optional.of(cluster.preservedPosts());
  }

  public Optional<LoginFlow> login() {
    return Optional.ofNullable(login);
  }

  /** Back-channel logout, or empty when this filter keeps no sessions. */
  public Optional<BackchannelLogout> backchannelLogout() {
    return Optional.ofNullable(backchannelLogout);
  }

  /**
   * The logout records every node reads (front-channel logout writes them), or empty when this
   * filter keeps no sessions.
   */
  public Optional<LogoutRecords> logoutRecords() {
    return cluster == null ? Optional.empty() : Optional.of(cluster.logoutRecords());
  }

  /**
   * The caller of a signed-in session, after the access rules.
   *
   * @throws OidcErrorException 403 when the rules refuse
   */
  public Caller authenticateSession(OidcSession session) throws OidcErrorException {
    return authenticateSession(session, AccessRule.ALLOW_AUTHENTICATED);
  }

  /** Like {@link #authenticateSession(OidcSession)}, with the request path's own rule. */
  public Caller authenticateSession(OidcSession session, AccessRule pathRule)
      throws OidcErrorException {
    Map<String, Object> claims = groupsOverage.resolve(SessionClaims.of(session));
    requireAllowed(claims, session.subject(), pathRule);
    return callers.forSession(session, claims);
  }

  private void requireAllowed(
      Map<String, Object> claims, @Nullable String subject, AccessRule pathRule)
      throws OidcErrorException {
    Optional<String> denied = config.access().rule().and(pathRule).deny(claims);
    if (denied.isPresent()) {
      events.fire(l -> l.accessDenied(subject, denied.get()));
      throw OidcErrors.insufficientScope(denied.get());
    }
  }

  private URI introspectionEndpoint() throws OidcErrorException {
    Optional<URI> configured = config.tokens().introspectionEndpoint();
    return configured.isPresent()
        ? configured.get()
        : provider.current().getIntrospectionEndpointURI();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      // Wait for the refresh thread to end, so a container undeploying the app sees no leak.
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (cluster != null) {
      cluster.close();
    }
    for (AutoCloseable transport : ownedTransports) {
      try {
        transport.close();
      } catch (Exception e) {
        LOG.debug("Closing the HTTP client failed: {}", e.toString());
      }
    }
  }
}
