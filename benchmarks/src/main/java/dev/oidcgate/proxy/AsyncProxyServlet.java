package dev.oidcgate.proxy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Benchmark prototype (issue 26): {@link ProxyServlet}'s forwarding sent with HttpClient 5's async
 * client (the minimal one: no redirects, cookies, authentication or retries; HTTP/1.1 only; pooled,
 * max total and per route as in {@link ProxyConfig}) and answered with servlet async I/O: the
 * container thread returns after {@code startAsync()}, and the response body is written to the
 * servlet output on the client's I/O thread as each chunk arrives.
 *
 * <p>Does: path below the mapping plus query to the target (same path checks), request headers
 * minus hop-by-hop ones plus forwarding headers ({@link RequestHeaderCopier}), status and headers
 * back ({@link PrototypeExchange}), the response body streamed chunk by chunk, flushed after each
 * chunk that is not the last; a client gone mid-response fails the exchange, which closes the
 * upstream connection; 502/503/504 before the response is committed.
 *
 * <p>Does not, being a measurement prototype: stream the request body (it is read into memory,
 * blocking, before the exchange starts); back-pressure (writes to the servlet output are blocking
 * writes on the I/O reactor thread, no {@code WriteListener}, so a slow client stalls the other
 * exchanges of that reactor thread); signal an upstream failure after the response is committed
 * other than by ending it (a chunked answer then looks complete; a declared length is short);
 * {@code Expect: 100-continue}, the upstream request customizer, DPoP, failure logging; and the
 * minimal client adds its own {@code User-Agent} when the client sent none (ours adds none).
 */
public final class AsyncProxyServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final int CAPACITY = 64 * 1024;

  private final transient ProxyTarget target;
  private final transient PrototypeExchange exchange;
  private final transient RequestHeaderCopier requestHeaders;
  private final transient CloseableHttpAsyncClient client;
  private final transient RequestConfig requestConfig;

  public AsyncProxyServlet(ProxyConfig config) {
    this.target = new ProxyTarget(config.targetUri());
    this.exchange = new PrototypeExchange(target);
    this.requestHeaders =
        new RequestHeaderCopier(
            new ForwardedHeaders(config.trustedProxies(), config.realIpHeader()),
            config.preserveHost());
    this.requestConfig =
        RequestConfig.custom()
            .setConnectionRequestTimeout(timeout(config.poolTimeout().toMillis()))
            .setResponseTimeout(timeout(config.responseTimeout().toMillis()))
            .build();
    this.client =
        HttpAsyncClients.createMinimal(
            PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(config.maxConnections())
                .setMaxConnPerRoute(config.maxConnectionsPerRoute())
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(timeout(config.connectTimeout().toMillis()))
                        .setSocketTimeout(timeout(config.responseTimeout().toMillis()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .setDefaultTlsConfig(
                    TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build());
    client.start();
  }

  @Override
  public void destroy() {
    client.close(CloseMode.GRACEFUL);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    IncomingPath path = IncomingPath.of(request);
    String upstreamTarget = exchange.upstreamTargetOrRefuse(request, response, path);
    if (upstreamTarget == null) {
      return;
    }
    BasicHttpRequest upstreamRequest =
        new BasicHttpRequest(request.getMethod(), target.host(), upstreamTarget);
    requestHeaders.copy(request, upstreamRequest);
    AsyncEntityProducer body = null;
    if (ClientRequestEntity.present(request)) {
      // Prototype shortcut: the whole request body in memory (blocking read), see the class doc.
      body = new BasicAsyncEntityProducer(request.getInputStream().readAllBytes(), null);
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the client's response timeout ends a silent upstream
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(requestConfig);
    ResponseRelay relay = new ResponseRelay(request, response, path, async);
    client.execute(new BasicRequestProducer(upstreamRequest, body), relay, context, relay);
  }

  private static Timeout timeout(long millis) {
    return Timeout.ofMilliseconds(millis);
  }

  /**
   * Writes the upstream's answer to the servlet response as it arrives, and completes the async
   * request when the exchange ends. Called on the async client's I/O threads.
   */
  private final class ResponseRelay extends AbstractBinResponseConsumer<Void>
      implements FutureCallback<Void> {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final IncomingPath path;
    private final AsyncContext async;
    private ServletOutputStream out;
    private byte[] buffer;

    ResponseRelay(
        HttpServletRequest request,
        HttpServletResponse response,
        IncomingPath path,
        AsyncContext async) {
      this.request = request;
      this.response = response;
      this.path = path;
      this.async = async;
    }

    @Override
    protected void start(HttpResponse upstreamResponse, ContentType contentType)
        throws IOException {
      exchange.copyResponseHead(request, path, upstreamResponse, response);
      out = response.getOutputStream();
    }

    @Override
    protected int capacityIncrement() {
      return CAPACITY;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
      int n = src.remaining();
      try {
        if (n > 0) {
          if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
          } else {
            if (buffer == null || buffer.length < n) {
              buffer = new byte[Math.max(n, 8 * 1024)];
            }
            src.get(buffer, 0, n);
            out.write(buffer, 0, n);
          }
        }
        if (!endOfStream && n > 0) {
          out.flush(); // a trickle (SSE, long poll) reaches the client as it arrives
        }
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
    }

    @Override
    protected Void buildResult() {
      return null;
    }

    @Override
    public void releaseResources() {
      buffer = null;
    }

    @Override
    public void completed(Void result) {
      complete();
    }

    @Override
    public void failed(Exception failure) {
      try {
        if (!ClientGoneException.isCause(failure) && !response.isCommitted()) {
          response.reset();
          FailureAnswer.send(
              response,
              UpstreamFailure.classify(
                  failure instanceof IOException io ? io : new IOException(failure)));
        }
      } catch (IOException | RuntimeException e) {
        // the client is gone too
      } finally {
        complete();
      }
    }

    @Override
    public void cancelled() {
      complete();
    }

    /**
     * Ends the servlet exchange. Never throws: this runs on the client's I/O reactor thread, and an
     * exception there (Jetty refuses {@code complete()} once it has aborted the connection of a
     * client that went away) would stop the reactor and fail every later exchange.
     */
    private void complete() {
      try {
        async.complete();
      } catch (RuntimeException e) {
        // the container has already ended this exchange
      }
    }
  }
}
