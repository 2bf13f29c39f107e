package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.config.ClusterSettings;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.session.SessionBinding;
import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.session.SessionRepository;
import dev.oidcgate.oidc.session.SessionStore;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;

/**
 * What the nodes of one app share, built once per filter: Redis when {@code redisUri} is set, else
 * this JVM's memory (one node; back-channel logout and replay checks still work there). Owns the
 * connection; closed with the filter. Thread-safe.
 */
public final class Cluster implements AutoCloseable {

  private static final String REDIS_STATE = "dev.oidcgate.oidc.cluster.redis.RedisSharedState";

  /** The most used {@code jti}s and refresh records kept in memory when there is no Redis. */
  private static final int MEMORY_ENTRIES = 200_000;

  /**
   * The most logout records kept in memory when there is no Redis, in a store of their own: the
   * others (a flood of them, or a few used often) never push one out. One per logout, each living
   * {@code sessionMaxLifetime}; a record is a few hundred bytes.
   */
  private static final int MEMORY_LOGOUT_RECORDS = 200_000;

  /**
   * The memory, in bytes of body, that kept form posts may take when there is no Redis (the entries
   * are counted: this over {@code preservePostMaxSize}, at least 16).
   */
  private static final int PRESERVED_POSTS_MEMORY = 32 * 1024 * 1024;

  private final SharedState state;
  private final SharedState logoutState;
  private final Keys keys;
  private final SessionCrypto crypto;
  private final LogoutRecords logoutRecords;
  private final SharedState postState;
  private final PreservedPosts preservedPosts;

  private Cluster(
      SharedState state,
      SharedState logoutState,
      Keys keys,
      SessionCrypto crypto,
      OidcConfig config) {
    this.state = state;
    this.logoutState = logoutState;
    this.keys = keys;
    this.crypto = crypto;
    this.logoutRecords = new LogoutRecords(logoutState, keys, config.session().maxLifetime());
    // Kept bodies are large: without Redis they have a store of their own, bounded by memory.
    this.postState =
        state.isShared()
            ? state
            : new MemorySharedState(
                Math.max(16, PRESERVED_POSTS_MEMORY / config.browser().preservePostMaxSize()),
                config.extensions().clock());
    this.preservedPosts =
        new PreservedPosts(
            postState, crypto, keys, config.extensions().clock(), config.login().loginTimeout());
  }

  /**
   * @throws OidcConfigException naming {@code redisUri} when it is malformed or Lettuce is missing
   */
  public static Cluster start(OidcConfig config) {
    Clock clock = config.extensions().clock();
    boolean redis = config.cluster().usesRedis();
    SharedState state =
        redis ? redis(config.cluster()) : new MemorySharedState(MEMORY_ENTRIES, clock);
    SharedState logoutState = redis ? state : new MemorySharedState(MEMORY_LOGOUT_RECORDS, clock);
    String issuer = config.provider().issuer().issuer();
    String clientId = config.client().clientId().orElse("");
    // Bound like the cookies: a value sealed by another app sharing secret and Redis never opens.
    SessionCrypto crypto =
        (config.session().secrets().isEmpty()
                ? SessionCrypto.random() // memory only: nothing sealed here leaves this JVM
                : SessionCrypto.fromSecrets(config.session().secrets()))
            .boundTo(new SessionBinding(issuer, clientId));
    Keys keys = new Keys(issuer, clientId);
    return new Cluster(state, logoutState, keys, crypto, config);
  }

  /**
   * Loads the Redis implementation by name, so that Lettuce is needed only when Redis is asked for.
   */
  private static SharedState redis(ClusterSettings settings) {
    ClassLoader loader = Cluster.class.getClassLoader();
    try {
      Class.forName("io.lettuce.core.RedisClient", false, loader);
      return (SharedState)
          Class.forName(REDIS_STATE, true, loader)
              .getConstructor(ClusterSettings.class)
              .newInstance(settings);
    } catch (ClassNotFoundException | LinkageError e) {
      throw lettuceMissing();
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof OidcConfigException) {
        throw (OidcConfigException) e.getCause();
      }
      if (e.getCause() instanceof LinkageError) {
        throw lettuceMissing();
      }
      throw new IllegalStateException("The Redis client could not be created", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("The Redis client could not be created", e);
    }
  }

  private static OidcConfigException lettuceMissing() {
    return new OidcConfigException(
        ClusterSettings.REDIS_URI.key(),
        "needs the Redis client io.lettuce:lettuce-core (and its dependencies) on the classpath;"
            + " add it to the app");
  }

  /** Whether other nodes see what this one records. */
  public boolean isShared() {
    return state.isShared();
  }

  /** Server-side sessions in the shared state (for {@code sessionStore=redis}). */
  public SessionRepository sessionRepository() {
    return new SharedSessionRepository(state, crypto, keys);
  }

  /** The store, with logout records checked on load and written on delete. */
  public SessionStore withLogoutRecords(SessionStore store) {
    return new LogoutAwareSessionStore(store, logoutRecords);
  }

  public LogoutRecords logoutRecords() {
    return logoutRecords;
  }

  public ReplayGuard replayGuard() {
    return new ReplayGuard(state, keys);
  }

  /** DPoP server nonces, each valid for two periods of {@code period}. */
  public ServerNonces serverNonces(Duration period, Clock clock) {
    return new ServerNonces(state, keys, period, clock);
  }

  public RefreshRecords refreshRecords() {
    return new RefreshRecords(state, crypto, keys);
  }

  /** Form bodies kept while their browser logs in ({@code preservePost}). */
  public PreservedPosts preservedPosts() {
    return preservedPosts;
  }

  /** The app's own upstream tokens, shared by the nodes (upstreamToken=client). */
  public UpstreamTokenRecords upstreamTokenRecords() {
    return new UpstreamTokenRecords(state, crypto, keys);
  }

  @Override
  public void close() {
    if (postState != state) {
      postState.close();
    }
    state.close();
    if (logoutState != state) {
      logoutState.close();
    }
  }
}
