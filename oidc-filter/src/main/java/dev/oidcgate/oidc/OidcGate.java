package dev.oidcgate.oidc;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.oidcgate.oidc.authz.ClaimValues;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.http.HttpClient5Transport;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.identity.OidcPrincipal;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.login.LoginTransactions;
import dev.oidcgate.oidc.provider.IssuerMismatchException;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.CookieSessionStore;
import dev.oidcgate.oidc.session.MemorySessionRepository;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.ServerSideSessionStore;
import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.session.SessionStore;
import dev.oidcgate.oidc.token.AccessTokenValidator;
import dev.oidcgate.oidc.token.IdTokenVerifier;
import dev.oidcgate.oidc.token.SignatureCheck;
import dev.oidcgate.oidc.token.TokenValidators;
import dev.oidcgate.oidc.token.VerifiedToken;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol side of one filter, with no servlet types: it owns the provider metadata, the key
 * cache, the token validators and the access rule, and turns a bearer token into a {@link Caller}
 * or an error. Created by {@link #start(OidcConfig)}, closed with the filter. Thread-safe.
 */
public final class OidcGate implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OidcGate.class);

  private final OidcConfig config;
  private final ScheduledExecutorService scheduler;
  private final AutoCloseable ownedTransport;
  private final ProviderMetadataSource provider;
  private final JwksCache keys;
  private final AccessTokenValidator validator;
  private final LoginFlow login;
  private final SafeEvents events;

  private OidcGate(OidcConfig config, SessionStore containerStore) {
    this.config = config;
    this.events = new SafeEvents(config.eventListener());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "oidc-gate-discovery");
              t.setDaemon(true);
              return t;
            });
    IdpTransport transport = config.transport().orElse(null);
    if (transport == null) {
      HttpClient5Transport http =
          new HttpClient5Transport(
              config.httpConnectTimeout(), config.httpReadTimeout(), config.httpMaxResponseSize());
      transport = http;
      this.ownedTransport = http;
    } else {
      this.ownedTransport = null;
    }
    this.provider =
        new ProviderMetadataSource(
            config.issuer(),
            transport,
            config.clock(),
            config.discoveryRefreshInterval(),
            config.discoveryRetryMaxInterval(),
            scheduler);
    this.keys =
        new JwksCache(
            () -> provider.current().getJWKSetURI(),
            transport,
            config.clock(),
            config.jwksRefreshInterval(),
            config.jwksMinRefreshInterval());
    this.validator =
        TokenValidators.create(
            config, keys, transport, this::introspectionEndpoint, clientAuthentication(config));
    this.login = config.loginEnabled() ? loginFlow(config, transport, containerStore) : null;
  }

  private LoginFlow loginFlow(
      OidcConfig config, IdpTransport transport, SessionStore containerStore) {
    SessionCrypto crypto;
    if (config.sessionSecret().isEmpty()) {
      LOG.warn(
          "sessionSecret is not set: session cookies are encrypted with a random key, so sessions end "
              + "when the app restarts and are not shared between nodes");
      crypto = SessionCrypto.random();
    } else {
      crypto = SessionCrypto.fromSecrets(config.sessionSecret());
    }
    SessionStore store =
        config
            .customSessionStore()
            .orElseGet(
                () ->
                    switch (config.sessionStore()) {
                      case "memory" ->
                          new ServerSideSessionStore(
                              config.sessionCookieName(),
                              new MemorySessionRepository(config.sessionMaxEntries()),
                              config.sessionIdleTimeout());
                      case "container" -> containerStore;
                      default ->
                          new CookieSessionStore(
                              config.sessionCookieName(),
                              crypto,
                              config.sessionCookieMaxChunks(),
                              config.sessionMaxLifetime());
                    });
    if (store == null) {
      throw new OidcConfigException(
          OidcSetting.SESSION_STORE.key(), "container sessions need the servlet filter");
    }
    SignatureCheck signatures = new SignatureCheck(keys, config.allowedAlgorithms());
    IdTokenVerifier idTokens =
        new IdTokenVerifier(
            signatures,
            config.issuer().issuer(),
            config.clientId().orElseThrow(),
            config.clock(),
            config.clockSkew());
    LoginTransactions logins =
        new LoginTransactions(
            crypto,
            config.clock(),
            config.loginTimeout(),
            config.maxLoginsInFlight(),
            config.responseMode().equals("form_post"));
    return new LoginFlow(config, provider, transport, idTokens, signatures, store, logins, events);
  }

  /**
   * Builds the runtime and reads the provider's metadata once. An unreachable provider does not
   * stop start-up (requests get 503 until it answers); a provider that names another issuer does.
   *
   * @throws OidcConfigException naming {@code issuer} when the discovery document is for another
   *     issuer
   */
  public static OidcGate start(OidcConfig config) {
    return start(config, null);
  }

  /**
   * As {@link #start(OidcConfig)}, with the store that {@code sessionStore=container} uses (the
   * servlet edge provides it; it is null elsewhere).
   */
  public static OidcGate start(OidcConfig config, SessionStore containerStore) {
    OidcGate gate = new OidcGate(config, containerStore);
    try {
      gate.provider.start();
    } catch (IssuerMismatchException e) {
      gate.close();
      throw new OidcConfigException(OidcSetting.ISSUER.key(), e.getMessage());
    }
    return gate;
  }

  public OidcConfig config() {
    return config;
  }

  /** Whether the provider's metadata has been read. */
  public boolean isProviderReady() {
    return provider.isReady();
  }

  /** The key cache, for metrics and tests. */
  public JwksCache keys() {
    return keys;
  }

  /**
   * Validates a bearer token and applies the access rules.
   *
   * @throws OidcErrorException 401 for a bad token, 403 when the rules refuse, 503 when the
   *     provider is needed and unreachable
   */
  public Caller authenticateBearer(String token) throws OidcErrorException {
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
    Map<String, Object> claims = verified.claims();
    Optional<String> denied = config.accessRule().deny(claims);
    if (denied.isPresent()) {
      Object sub = claims.get("sub");
      events.fire(l -> l.accessDenied(sub instanceof String ? (String) sub : null, denied.get()));
      throw OidcErrors.insufficientScope(denied.get());
    }
    return caller(token, claims);
  }

  /** The login flow, or empty when this filter cannot log browsers in (no client secret). */
  public Optional<LoginFlow> login() {
    return Optional.ofNullable(login);
  }

  /**
   * The caller of a signed-in session, after the access rules.
   *
   * @throws OidcErrorException 403 when the rules refuse
   */
  public Caller authenticateSession(OidcSession session) throws OidcErrorException {
    Map<String, Object> claims = LoginFlow.claims(session);
    Optional<String> denied = config.accessRule().deny(claims);
    if (denied.isPresent()) {
      events.fire(l -> l.accessDenied(session.subject(), denied.get()));
      throw OidcErrors.insufficientScope(denied.get());
    }
    Object name = config.principalClaim().resolve(claims);
    String principalName =
        name instanceof String && !((String) name).isEmpty() ? (String) name : session.subject();
    Set<String> roles = new LinkedHashSet<>(ClaimValues.of(config.rolesClaim().resolve(claims)));
    roles.addAll(ClaimValues.of(config.groupsClaim().resolve(claims)));
    String userInfoJson =
        session.userInfo().isEmpty()
            ? null
            : com.nimbusds.jose.util.JSONObjectUtils.toJSONString(session.userInfo());
    return new Caller(
        new OidcPrincipal(principalName, claims, roles),
        config
            .identityHeaders()
            .forCaller(session.accessToken(), session.idToken(), userInfoJson, claims));
  }

  private Caller caller(String token, Map<String, Object> claims) throws OidcErrorException {
    Object name = config.principalClaim().resolve(claims);
    if (!(name instanceof String) || ((String) name).isEmpty()) {
      throw OidcErrors.invalidToken("The token has no " + config.principalClaim() + " claim");
    }
    Set<String> roles = new LinkedHashSet<>(ClaimValues.of(config.rolesClaim().resolve(claims)));
    roles.addAll(ClaimValues.of(config.groupsClaim().resolve(claims)));
    OidcPrincipal principal = new OidcPrincipal((String) name, claims, roles);
    return new Caller(principal, config.identityHeaders().forCaller(token, claims));
  }

  private java.net.URI introspectionEndpoint() throws OidcErrorException {
    if (config.introspectionEndpoint().isPresent()) {
      return config.introspectionEndpoint().get();
    }
    return provider.current().getIntrospectionEndpointURI();
  }

  private static ClientAuthentication clientAuthentication(OidcConfig config) {
    if (config.clientId().isEmpty() || config.clientSecret().isEmpty()) {
      return null;
    }
    ClientID id = new ClientID(config.clientId().get());
    return config.introspectionAuthMethod().equals(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        ? new ClientSecretPost(id, config.clientSecret().get())
        : new ClientSecretBasic(id, config.clientSecret().get());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    if (ownedTransport != null) {
      try {
        ownedTransport.close();
      } catch (Exception e) {
        LOG.debug("Closing the HTTP client failed: {}", e.toString());
      }
    }
  }
}
