package dev.oidcgate.oidc;

import dev.oidcgate.oidc.authz.AccessRule;
import dev.oidcgate.oidc.cluster.LogoutRecords;
import dev.oidcgate.oidc.config.AuthorizationRequestSettings;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.config.ProviderProfile;
import dev.oidcgate.oidc.config.ProviderSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.identity.Caller;
import dev.oidcgate.oidc.login.BackchannelLogout;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.provider.IssuerMismatchException;
import dev.oidcgate.oidc.provider.ProviderDetection;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.token.DpopProofs;
import dev.oidcgate.oidc.upstream.UpstreamTokens;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol side of one filter, with no servlet types: it owns the provider metadata, the key
 * cache, the token validators, the login flow and the access rule, and turns a credential into a
 * {@link Caller} or an error. Created by {@link #start(OidcConfig)}, closed with the filter. Its
 * collaborators are built by {@link GateAssembly}; the checks of each request are {@link
 * CallerChecks}. Thread-safe.
 */
public final class OidcGate implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OidcGate.class);

  private final OidcConfig config;
  private final GateAssembly parts;
  private final ProviderMetadataSource provider;
  private final CallerChecks checks;

  private OidcGate(OidcConfig config, boolean severalIssuers) {
    this.config = config;
    this.parts = new GateAssembly(config, severalIssuers);
    this.provider = parts.provider;
    this.checks = new CallerChecks(config.access().rule(), parts);
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
        && gate.parts.login != null
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
    return parts.upstreamTokens;
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
    return checks.bearer(token, presented, pathRule);
  }

  /** The DPoP nonce to hand out now, when {@code dpopNonce=on}. */
  public Optional<String> dpopNonce() {
    return parts.dpop == null ? Optional.empty() : parts.dpop.currentNonce();
  }

  /** Where form posts are kept while their browser logs in; empty unless {@code preservePost}. */
  public Optional<dev.oidcgate.oidc.cluster.PreservedPosts> preservedPosts() {
    return parts.cluster == null || !config.browser().preservePost()
        ? Optional.empty()
        : Optional.of(parts.cluster.preservedPosts());
  }

  /** The login flow, or empty when this filter cannot log browsers in (no client secret). */
  public Optional<LoginFlow> login() {
    return Optional.ofNullable(parts.login);
  }

  /** Back-channel logout, or empty when this filter keeps no sessions. */
  public Optional<BackchannelLogout> backchannelLogout() {
    return Optional.ofNullable(parts.backchannelLogout);
  }

  /**
   * The logout records every node reads (front-channel logout writes them), or empty when this
   * filter keeps no sessions.
   */
  public Optional<LogoutRecords> logoutRecords() {
    return parts.cluster == null ? Optional.empty() : Optional.of(parts.cluster.logoutRecords());
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
    return checks.session(session, pathRule);
  }

  @Override
  public void close() {
    parts.close();
  }
}
