package dev.oidcgate.oidc;

import dev.oidcgate.oidc.cluster.Cluster;
import dev.oidcgate.oidc.config.DpopTokenSettings;
import dev.oidcgate.oidc.config.GroupsOverageSettings;
import dev.oidcgate.oidc.config.HttpSettings;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.ProviderSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.http.HttpClient5Transport;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.identity.Callers;
import dev.oidcgate.oidc.idp.GroupsOverage;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.idp.IdpClients;
import dev.oidcgate.oidc.idp.MicrosoftGraphClient;
import dev.oidcgate.oidc.login.BackchannelLogout;
import dev.oidcgate.oidc.login.LoginAssembly;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.token.AccessTokenValidator;
import dev.oidcgate.oidc.token.DpopProofs;
import dev.oidcgate.oidc.token.IssuerRule;
import dev.oidcgate.oidc.token.TokenValidators;
import dev.oidcgate.oidc.upstream.UpstreamTokens;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collaborators of one {@link OidcGate}, built once at start-up from the configuration: the
 * cluster state, the HTTP transports, the refresh thread, the provider metadata and key cache, the
 * token validator, the login flow, DPoP proofs, groups overage and upstream tokens. Closing it
 * stops the thread and closes what it opened.
 */
final class GateAssembly implements AutoCloseable {

  // Log lines keep OidcGate's category, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(OidcGate.class);

  /** How long one DPoP server nonce is handed out (and accepted for as long again). */
  private static final Duration NONCE_PERIOD = Duration.ofMinutes(5);

  private final OidcConfig config;
  final SafeEvents events;
  private final ScheduledExecutorService scheduler;
  private final List<AutoCloseable> ownedTransports = new ArrayList<>();
  final ProviderMetadataSource provider;
  final AccessTokenValidator validator;
  final Callers callers;
  final @Nullable LoginFlow login;
  final @Nullable Cluster cluster;
  final @Nullable BackchannelLogout backchannelLogout;
  final GroupsOverage groupsOverage;
  final @Nullable DpopProofs dpop;
  final UpstreamTokens upstreamTokens;

  GateAssembly(OidcConfig config, boolean severalIssuers) {
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
