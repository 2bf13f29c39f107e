package dev.oidcgate.oidc.login;

import dev.oidcgate.oidc.cluster.Cluster;
import dev.oidcgate.oidc.config.IssuerClient;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.events.SafeEvents;
import dev.oidcgate.oidc.idp.ClientSigner;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.session.SessionBinding;
import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.session.SessionStore;
import dev.oidcgate.oidc.session.SessionStores;
import dev.oidcgate.oidc.token.IdTokenVerifier;
import dev.oidcgate.oidc.token.IssuerRule;
import dev.oidcgate.oidc.token.LogoutTokenVerifier;
import dev.oidcgate.oidc.token.SignatureCheck;
import java.time.Clock;

/** Wires the login flow from its parts. */
public final class LoginAssembly {

  private LoginAssembly() {}

  /** Back-channel logout (OpenID Connect Back-Channel Logout 1.0) into the cluster's records. */
  public static BackchannelLogout backchannelLogout(
      OidcConfig config, JwksCache keys, Cluster cluster) {
    Clock clock = config.extensions().clock();
    LogoutTokenVerifier verifier =
        new LogoutTokenVerifier(
            new SignatureCheck(keys, config.tokens().allowedAlgorithms()),
            config.provider().issuer().issuer(),
            config.client().clientId().orElseThrow(),
            clock,
            config.tokens().clockSkew(),
            config.cluster().logoutTokenMaxAge());
    return new BackchannelLogout(verifier, cluster.replayGuard(), cluster.logoutRecords(), clock);
  }

  /**
   * @param config read for the client, login, logout, session, cookie and HTTP settings
   * @param cluster what the nodes share: logout records, refresh locks, Redis sessions
   */
  public static LoginFlow create(
      OidcConfig config,
      ProviderMetadataSource provider,
      JwksCache keys,
      IdpClient idp,
      SafeEvents events,
      Cluster cluster) {
    Clock clock = config.extensions().clock();
    // Sessions and logins are this issuer's and this client's only, even under a shared secret.
    SessionBinding binding =
        new SessionBinding(
            config.provider().issuer().issuer(), config.client().clientId().orElseThrow());
    SessionCrypto crypto = SessionStores.crypto(config.session()).boundTo(binding);
    SessionStore store =
        cluster.withLogoutRecords(
            config
                .extensions()
                .sessionStore()
                .orElseGet(
                    () ->
                        SessionStores.create(
                            config.session(),
                            config.cookies(),
                            crypto,
                            binding,
                            cluster.sessionRepository())));
    SignatureCheck signatures = new SignatureCheck(keys, config.tokens().allowedAlgorithms());
    IdTokenVerifier idTokens =
        new IdTokenVerifier(
            signatures,
            IssuerRule.of(config.provider()),
            config.client().clientId().orElseThrow(),
            clock,
            config.tokens().clockSkew());
    AccessTokenInspector accessTokens = new AccessTokenInspector(signatures, provider);
    SessionKeeper.Timing timing =
        new SessionKeeper.Timing(
            config.session().idleTimeout(),
            config.session().maxLifetime(),
            config.login().refreshLeeway(),
            config.http().callTimeout().plusSeconds(1));
    SessionKeeper.Refresher refresher =
        new SharedRefresher(
            new TokenRefresher(idp, idTokens, accessTokens, clock),
            cluster.refreshRecords(),
            SharedRefresher.lockHold(config.http().callTimeout(), config.cluster().redisTimeout()));
    SessionKeeper sessions = new SessionKeeper(store, timing, refresher, events, clock);
    LoginTransactions logins =
        new LoginTransactions(
            config.client().issuerClients().stream()
                .filter(c -> c.issuer().issuer().equals(config.provider().issuer().issuer()))
                .map(IssuerClient::name)
                .findFirst()
                .orElse(""),
            crypto,
            clock,
            config.login().loginTimeout(),
            config.login().maxLoginsInFlight(),
            config.login().formPost());
    return new LoginFlow(
        provider,
        idp,
        idTokens,
        accessTokens,
        sessions,
        logins,
        config.login(),
        config.logout(),
        events,
        clock,
        config.dpopClient().enabled(),
        config.login().jarm()
            ? new JarmResponses(
                config.provider().issuer().issuer(),
                config.client().clientId().orElseThrow(),
                keys,
                config.tokens().allowedAlgorithms(),
                config.tokens().clockSkew())
            : null,
        config.authorizationRequest(),
        ClientSigner.of(config.clientKey()),
        config.securityProfile().fapi2());
  }
}
