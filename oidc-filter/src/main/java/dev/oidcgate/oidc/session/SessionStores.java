package dev.oidcgate.oidc.session;

import dev.oidcgate.oidc.config.CookieSettings;
import dev.oidcgate.oidc.config.SessionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes the key and the store a configuration asks for. */
public final class SessionStores {

  private static final Logger LOG = LoggerFactory.getLogger(SessionStores.class);

  private SessionStores() {}

  /** The key session and login cookies are sealed with: the configured secrets, or a random one. */
  public static SessionCrypto crypto(SessionSettings settings) {
    if (settings.secrets().isEmpty()) {
      LOG.warn(
          "sessionSecret is not set: session cookies are encrypted with a random key, so sessions"
              + " end when the app restarts and are not shared between nodes");
      return SessionCrypto.random();
    }
    return SessionCrypto.fromSecrets(settings.secrets());
  }

  /**
   * The store {@code sessionStore} names, keeping only sessions of {@code binding}.
   *
   * @param crypto already {@link SessionCrypto#boundTo bound} to {@code binding}
   * @param shared where {@code sessionStore=redis} keeps sessions
   */
  public static SessionStore create(
      SessionSettings settings,
      CookieSettings cookies,
      SessionCrypto crypto,
      SessionBinding binding,
      SessionRepository shared) {
    return switch (settings.store()) {
      case REDIS ->
          new ServerSideSessionStore(
              cookies.name(), new BoundSessionRepository(binding, shared), settings.idleTimeout());
      case MEMORY ->
          new ServerSideSessionStore(
              cookies.name(),
              new BoundSessionRepository(
                  binding, new MemorySessionRepository(settings.maxEntries())),
              settings.idleTimeout());
      case CONTAINER -> new ContainerSessionStore(binding);
      case COOKIE ->
          new CookieSessionStore(
              cookies.name(), crypto, cookies.maxChunks(), settings.maxLifetime());
    };
  }
}
