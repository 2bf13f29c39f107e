package dev.oidcgate.oidc.cluster.redis;

import dev.oidcgate.oidc.cluster.SharedState;
import dev.oidcgate.oidc.config.ClusterSettings;
import dev.oidcgate.oidc.config.OidcConfigException;
import dev.oidcgate.oidc.session.SessionStoreException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedState} in Redis, through one Lettuce connection (standalone, Sentinel or Cluster)
 * shared by all requests. The only class that touches Lettuce, loaded only when {@code redisUri} is
 * set, so apps without Redis need not ship it.
 *
 * <p>It connects on first use, so the app starts while Redis is down; once connected, Lettuce
 * reconnects by itself. While disconnected, commands fail at once (standalone and Sentinel; with
 * Cluster they wait for the node's connection), and no command waits longer than {@code
 * redisTimeout}: the request gets 503 rather than a hung thread. Thread-safe.
 */
public final class RedisSharedState implements SharedState {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSharedState.class);
  private final ReentrantLock connectLock = new ReentrantLock();

  /** After a failed connection attempt, requests fail fast for this long before the next one. */
  private static final long RETRY_CONNECT_MILLIS = 1000;

  private static final String REMOVE_IF_SCRIPT =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"
          + " return 0";

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final boolean cluster;
  private final Duration timeout;
  private volatile @Nullable StatefulConnection<String, String> connection;
  private volatile @Nullable RedisClusterAsyncCommands<String, String> commands;
  private long lastFailedConnect;

  /**
   * @throws OidcConfigException naming {@code redisUri} when it is not a Redis URI
   */
  public RedisSharedState(ClusterSettings settings) {
    RedisURI uri;
    try {
      uri = RedisURI.create(settings.redisUri().orElseThrow());
    } catch (RuntimeException e) {
      // The message may quote the URI, which may hold a password.
      throw new OidcConfigException(ClusterSettings.REDIS_URI.key(), "is not a Redis URI");
    }
    this.timeout = settings.redisTimeout();
    this.cluster = settings.redisCluster();
    uri.setTimeout(timeout);
    this.resources =
        ClientResources.builder()
            // Reconnect soon after Redis is back, not after Lettuce's default 30 s back-off.
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
    if (cluster) {
      RedisClusterClient c = RedisClusterClient.create(resources, uri);
      c.setOptions(
          ClusterClientOptions.builder()
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              // Cluster connects to each node on first use: rejecting commands while a node's
              // connection is still being made would fail the first requests. Commands wait
              // instead, never longer than redisTimeout.
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
              .build());
      this.client = c;
    } else {
      RedisClient c = RedisClient.create(resources, uri);
      c.setOptions(
          ClientOptions.builder()
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      this.client = c;
    }
  }

  @Override
  public List<Optional<String>> getAll(List<String> keys) throws SessionStoreException {
    RedisClusterAsyncCommands<String, String> redis = commands();
    // Sent together (pipelined) but one GET per key, so that Cluster may route each on its own.
    List<RedisFuture<String>> futures = new ArrayList<>(keys.size());
    try {
      for (String key : keys) {
        futures.add(redis.get(key));
      }
    } catch (RuntimeException e) {
      throw failed(e);
    }
    List<Optional<String>> out = new ArrayList<>(keys.size());
    for (RedisFuture<String> f : futures) {
      out.add(Optional.ofNullable(await(f)));
    }
    return out;
  }

  @Override
  public void put(String key, String value, Duration timeToLive) throws SessionStoreException {
    run(c -> c.set(key, value, SetArgs.Builder.px(positive(timeToLive))));
  }

  @Override
  public boolean putIfAbsent(String key, String value, Duration timeToLive)
      throws SessionStoreException {
    return "OK".equals(run(c -> c.set(key, value, SetArgs.Builder.nx().px(positive(timeToLive)))));
  }

  @Override
  public void remove(String key) throws SessionStoreException {
    run(c -> c.del(key));
  }

  @Override
  public void removeIf(String key, String value) throws SessionStoreException {
    String[] keys = {key};
    run(c -> c.<Long>eval(REMOVE_IF_SCRIPT, ScriptOutputType.INTEGER, keys, value));
  }

  /** One command to Redis. */
  private interface Command<T> {
    RedisFuture<T> send(RedisClusterAsyncCommands<String, String> commands);
  }

  private <T> T run(Command<T> command) throws SessionStoreException {
    RedisClusterAsyncCommands<String, String> redis = commands();
    RedisFuture<T> future;
    try {
      future = command.send(redis);
    } catch (RuntimeException e) {
      throw failed(e);
    }
    return await(future);
  }

  private static SessionStoreException failed(RuntimeException e) {
    // Keep only the type: a message might quote a key.
    return new SessionStoreException("Redis failed: " + e.getClass().getSimpleName(), null);
  }

  @Override
  public boolean isShared() {
    return true;
  }

  private RedisClusterAsyncCommands<String, String> commands() throws SessionStoreException {
    RedisClusterAsyncCommands<String, String> c = commands;
    return c != null ? c : connect();
  }

  private RedisClusterAsyncCommands<String, String> connect() throws SessionStoreException {
    // A lock, not synchronized: connecting is network I/O, during which a synchronized block would
    // pin a virtual thread to its carrier on Java 21 to 23.
    connectLock.lock();
    try {
      return connectLocked();
    } finally {
      connectLock.unlock();
    }
  }

  private RedisClusterAsyncCommands<String, String> connectLocked() throws SessionStoreException {
    if (commands != null) {
      return commands;
    }
    long now = System.currentTimeMillis();
    if (now - lastFailedConnect < RETRY_CONNECT_MILLIS) {
      throw new SessionStoreException("Redis is not connected yet", null);
    }
    try {
      if (cluster) {
        StatefulRedisClusterConnection<String, String> c = ((RedisClusterClient) client).connect();
        connection = c;
        commands = c.async();
      } else {
        StatefulRedisConnection<String, String> c = ((RedisClient) client).connect();
        connection = c;
        commands = c.async();
      }
      LOG.info("Connected to Redis");
      return commands;
    } catch (RuntimeException e) {
      lastFailedConnect = now;
      throw new SessionStoreException(
          "Redis cannot be reached: " + e.getClass().getSimpleName(), null);
    }
  }

  private <T> T await(RedisFuture<T> future) throws SessionStoreException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SessionStoreException("interrupted while waiting for Redis", null);
    } catch (ExecutionException e) {
      // Lettuce's messages name the command, never a value; still, keep only the type.
      throw new SessionStoreException(
          // Lettuce's ExecutionException always carries the command's failure.
          "Redis failed: " + Objects.requireNonNull(e.getCause()).getClass().getSimpleName(), null);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new SessionStoreException("Redis did not answer within redisTimeout", null);
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  private static Duration positive(Duration d) {
    return d.toMillis() < 1 ? Duration.ofMillis(1) : d;
  }

  @Override
  public void close() {
    try {
      StatefulConnection<String, String> c = connection;
      if (c != null) {
        c.close();
      }
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      LOG.debug("Closing the Redis client failed: {}", e.getClass().getSimpleName());
    }
  }
}
