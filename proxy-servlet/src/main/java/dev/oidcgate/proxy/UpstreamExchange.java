package dev.oidcgate.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.io.ConnectionEndpoint;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.EofSensorWatcher;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.jspecify.annotations.Nullable;

/**
 * One exchange's pooled connection, from the moment it is leased until it goes back to the pool or
 * is thrown away, exactly once: back to the pool when the response body has been read to its end
 * (or there is none) and the upstream allows reuse; closed and discarded when the exchange is
 * cancelled, fails, or its body is closed before the end (never drained: a large download read for
 * nothing would hold the thread and the connection). Used by one request thread; {@link #cancel}
 * may race with it and is safe.
 */
final class UpstreamExchange implements Cancellable {

  private final HttpClientConnectionManager pool;
  private final ConnectionEndpoint endpoint;
  private final AtomicBoolean done = new AtomicBoolean();

  UpstreamExchange(HttpClientConnectionManager pool, ConnectionEndpoint endpoint) {
    this.pool = pool;
    this.endpoint = endpoint;
  }

  ConnectionEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Returns the connection to the pool for {@code keepAlive}, or closes it when {@code null} (the
   * upstream asked to close, or the message framing does not allow reuse).
   */
  void release(@Nullable TimeValue keepAlive) {
    if (done.compareAndSet(false, true)) {
      if (keepAlive == null) {
        endpoint.close(CloseMode.GRACEFUL);
      }
      pool.release(endpoint, null, keepAlive == null ? TimeValue.ZERO_MILLISECONDS : keepAlive);
    }
  }

  /** Closes the connection at once and frees its pool slot. Never throws. */
  void discard() {
    if (done.compareAndSet(false, true)) {
      endpoint.close(CloseMode.IMMEDIATE);
      pool.release(endpoint, null, TimeValue.ZERO_MILLISECONDS);
    }
  }

  @Override
  public boolean cancel() {
    discard();
    return true;
  }

  /**
   * The response body, wrapped so that reading it to the end releases the connection and closing it
   * early discards the connection.
   */
  HttpEntity releasingAtEnd(HttpEntity body, @Nullable TimeValue keepAlive) {
    return new ReleasingEntity(body, this, keepAlive);
  }

  private static final class ReleasingEntity extends HttpEntityWrapper implements EofSensorWatcher {

    private final UpstreamExchange exchange;
    private final @Nullable TimeValue keepAlive;

    ReleasingEntity(HttpEntity body, UpstreamExchange exchange, @Nullable TimeValue keepAlive) {
      super(body);
      this.exchange = exchange;
      this.keepAlive = keepAlive;
    }

    @Override
    public boolean isRepeatable() {
      return false;
    }

    @Override
    public InputStream getContent() throws IOException {
      return new EofSensorInputStream(super.getContent(), this);
    }

    @Override
    public boolean eofDetected(InputStream wrapped) throws IOException {
      try {
        // Reads a chunked body's trailers, so the connection is at the next message.
        wrapped.close();
        exchange.release(keepAlive);
      } catch (IOException | RuntimeException e) {
        exchange.discard();
        throw e;
      }
      return false;
    }

    @Override
    public boolean streamClosed(InputStream wrapped) {
      exchange.discard(); // before the end: not drained
      return false;
    }

    @Override
    public boolean streamAbort(InputStream wrapped) {
      exchange.discard();
      return false;
    }

    @Override
    public void close() {
      exchange.discard(); // a no-op once the body was read to its end
    }
  }
}
