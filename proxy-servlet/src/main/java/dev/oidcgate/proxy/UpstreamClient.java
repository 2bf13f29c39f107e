package dev.oidcgate.proxy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ConnectionShutdownException;
import org.apache.hc.client5.http.impl.DefaultClientConnectionReuseStrategy;
import org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.IdleConnectionEvictor;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.ConnectionEndpoint;
import org.apache.hc.client5.http.io.LeaseRequest;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.protocol.RequestClientConnControl;
import org.apache.hc.client5.http.protocol.RequestExpectContinue;
import org.apache.hc.client5.http.protocol.RequestValidateTrace;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.protocol.DefaultHttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The one HTTP client to the upstream: a connection pool and an Apache HttpClient 5 (classic,
 * blocking I/O) set up to pass messages through rather than to act as a user agent:
 *
 * <ul>
 *   <li>no cookie store, otherwise cookies of different clients would mix in one shared jar;
 *   <li>no redirect following: the client must see the upstream's 3xx and decide itself;
 *   <li>no automatic retries: a request body is streamed once and cannot be replayed, and a retried
 *       non-idempotent request could run twice upstream;
 *   <li>no content decompression: bytes and {@code Content-Encoding} go through as they are;
 *   <li>no authentication, no default {@code User-Agent}, no protocol upgrade.
 * </ul>
 *
 * Because nothing retries, a pooled connection that the upstream closed while idle would surface as
 * a 502; such connections are validated after a second of inactivity and evicted after {@code
 * idleTimeout}. Thread-safe; owned and closed by the servlet.
 */
final class UpstreamClient implements AutoCloseable {

  // Only used in the pool's DEBUG lines; one constant instead of a counter per request.
  private static final String EXCHANGE_ID = "proxy";

  private final PoolingHttpClientConnectionManager pool;
  private final IdleConnectionEvictor evictor;
  private final HttpRoute route;
  private final RequestConfig defaults;
  private final HttpRequestExecutor executor;
  private final ConnectionReuseStrategy reuse = DefaultClientConnectionReuseStrategy.INSTANCE;
  private final ConnectionKeepAliveStrategy keepAlive = DefaultConnectionKeepAliveStrategy.INSTANCE;
  // What the classic client's chain adds to a request, less what this client turns off (user
  // agent, cookies, authentication, protocol upgrade).
  private final HttpProcessor protocol =
      new DefaultHttpProcessor(
          new RequestTargetHost(),
          new RequestValidateTrace(),
          new RequestContent(),
          new RequestClientConnControl(),
          new RequestExpectContinue());

  UpstreamClient(ProxyConfig config, ProxyTarget target) {
    this.pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(config.maxConnections())
            .setMaxConnPerRoute(config.maxConnectionsPerRoute())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(timeout(config.connectTimeout()))
                    .setSocketTimeout(timeout(config.responseTimeout()))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                    .build())
            .build();
    this.defaults =
        RequestConfig.custom()
            .setConnectionRequestTimeout(timeout(config.poolTimeout()))
            .setExpectContinueEnabled(false)
            .build();
    this.executor = new HttpRequestExecutor(reuse);
    this.route =
        new HttpRoute(
            RoutingSupport.normalize(target.host(), DefaultSchemePortResolver.INSTANCE),
            null,
            "https".equals(target.host().getSchemeName()));
    TimeValue idle = TimeValue.of(config.idleTimeout());
    this.evictor = new IdleConnectionEvictor(pool, idle, idle);
    evictor.start();
  }

  /**
   * @param expectContinue whether to send {@code Expect: 100-continue} and hold the body until the
   *     upstream agrees (used when the client itself asked for it)
   * @return the per-request settings
   */
  RequestConfig requestConfig(boolean expectContinue) {
    return expectContinue
        ? RequestConfig.copy(defaults).setExpectContinueEnabled(true).build()
        : defaults;
  }

  /**
   * Sends the request on a pooled connection to the target and returns once the response head has
   * arrived. The caller must either read the body to its end and close the response (the connection
   * goes back to the pool), or {@link #abort}.
   *
   * <p>This is the classic HttpClient's chain cut down to what a pass-through needs: one route
   * computed at start-up, no redirect, retry, cookie, authentication or URI handling per request
   * (measured in docs/performance.md). Pool, connect, TLS, validation of idle connections, message
   * framing and keep-alive are HttpClient's own.
   *
   * @throws IOException from the upstream or, as {@link ClientGoneException}, from reading the
   *     client's body
   */
  ClassicHttpResponse open(HttpUriRequestBase request) throws IOException {
    RequestConfig config = request.getConfig() != null ? request.getConfig() : defaults;
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(config);
    context.setRoute(route);
    context.setExchangeId(EXCHANGE_ID);
    UpstreamExchange exchange = lease(request, config);
    try {
      ConnectionEndpoint endpoint = exchange.endpoint();
      if (!endpoint.isConnected()) {
        pool.connect(endpoint, null, context);
      }
      // No setSocketTimeout here: the pool set the connection's socket timeout on lease, and it is
      // the response timeout (ConnectionConfig above), for every request.
      context.setRequest(request);
      protocol.process(request, request.getEntity(), context);
      ClassicHttpResponse response =
          endpoint.execute(EXCHANGE_ID, request, executor::execute, context);
      protocol.process(response, response.getEntity(), context);
      TimeValue reusableFor =
          reuse.keepAlive(request, response, context)
              ? keepAlive.getKeepAliveDuration(response, context)
              : null;
      HttpEntity body = response.getEntity();
      if (body == null || !body.isStreaming()) {
        exchange.release(reusableFor);
      } else {
        response.setEntity(exchange.releasingAtEnd(body, reusableFor));
      }
      return response;
    } catch (ConnectionShutdownException e) {
      exchange.discard();
      InterruptedIOException cancelled =
          new InterruptedIOException("Connection has been shut down");
      cancelled.initCause(e);
      throw cancelled;
    } catch (HttpException e) {
      exchange.discard();
      throw new ClientProtocolException(e);
    } catch (IOException | RuntimeException e) {
      exchange.discard();
      throw e;
    }
  }

  private UpstreamExchange lease(HttpUriRequestBase request, RequestConfig config)
      throws IOException {
    Timeout waitForPool = Timeout.defaultsToInfinite(config.getConnectionRequestTimeout());
    LeaseRequest lease = pool.lease(EXCHANGE_ID, route, waitForPool, null);
    request.setDependency(lease); // a cancel while waiting for the pool ends the wait
    ConnectionEndpoint endpoint;
    try {
      endpoint = lease.get(waitForPool);
    } catch (TimeoutException e) {
      lease.cancel();
      throw new ConnectionRequestTimeoutException(e.getMessage());
    } catch (InterruptedException e) {
      lease.cancel();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a pooled connection");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause);
    }
    UpstreamExchange exchange = new UpstreamExchange(pool, endpoint);
    request.setDependency(exchange); // from now on a cancel closes the connection
    return exchange;
  }

  /**
   * Ends an exchange without reading the rest of the response: the connection is closed and
   * discarded instead of being drained (draining a large download for nothing would hold the thread
   * and the connection) and its pool slot is freed. Never throws.
   */
  static void abort(HttpUriRequestBase request, @Nullable ClassicHttpResponse response) {
    request.cancel();
    if (response != null) {
      try {
        response.close();
      } catch (IOException | RuntimeException e) {
        // The connection is already shut down; nothing left to release.
      }
    }
  }

  /** A snapshot of the pool. */
  PoolStats poolStats() {
    org.apache.hc.core5.pool.PoolStats stats = pool.getTotalStats();
    return new PoolStats(
        stats.getLeased(), stats.getAvailable(), stats.getPending(), stats.getMax());
  }

  @Override
  public void close() {
    evictor.shutdown();
    pool.close(CloseMode.GRACEFUL);
  }

  private static Timeout timeout(Duration duration) {
    return Timeout.ofMilliseconds(duration.toMillis());
  }
}
