package dev.oidcgate.proxy;

import java.io.IOException;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
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

  private final PoolingHttpClientConnectionManager pool;
  private final CloseableHttpClient client;
  private final RequestConfig defaults;

  UpstreamClient(ProxyConfig config) {
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
            .setResponseTimeout(timeout(config.responseTimeout()))
            .setRedirectsEnabled(false)
            .setAuthenticationEnabled(false)
            .setContentCompressionEnabled(false)
            .setProtocolUpgradeEnabled(false)
            .setExpectContinueEnabled(false)
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(pool)
            .setDefaultRequestConfig(defaults)
            .disableCookieManagement()
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableAuthCaching()
            .disableDefaultUserAgent()
            .evictExpiredConnections()
            .evictIdleConnections(TimeValue.of(config.idleTimeout()))
            .build();
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
   * Sends the request and returns once the response head has arrived. The caller must either read
   * the body to its end and close the response (the connection goes back to the pool), or {@link
   * #abort}.
   *
   * @throws IOException from the upstream or, as {@link ClientGoneException}, from reading the
   *     client's body
   */
  ClassicHttpResponse open(ProxyTarget target, HttpUriRequestBase request) throws IOException {
    return client.executeOpen(target.host(), request, HttpClientContext.create());
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
    client.close(CloseMode.GRACEFUL);
  }

  private static Timeout timeout(Duration duration) {
    return Timeout.ofMilliseconds(duration.toMillis());
  }
}
