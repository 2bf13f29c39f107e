package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.bootstrap.HttpRequester;
import org.apache.hc.core5.http.impl.bootstrap.RequesterBootstrap;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.DefaultHttpProcessor;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.RequestConnControl;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestExpectContinue;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Benchmark prototype (issue 26): {@link ProxyServlet}'s forwarding sent with HttpCore 5's own
 * classic {@link HttpRequester}, the layer under HttpClient's classic client that HttpCore's
 * reverse-proxy example uses, with its pool (max total and per route as in {@link ProxyConfig}).
 *
 * <p>Does: path below the mapping plus query to the target (same path checks), request headers
 * minus hop-by-hop ones plus forwarding headers ({@link RequestHeaderCopier}), the request body
 * streamed ({@link ClientRequestEntity}), status and headers back ({@link PrototypeExchange}), the
 * body streamed with {@link ResponseBodyCopier}; a client gone mid-response aborts (closes) the
 * upstream connection; 502/503/504 before the response is committed. Does not: {@code Expect:
 * 100-continue}, validation or eviction of idle pooled connections, the upstream request customizer
 * or DPoP proof, failure logging. Not for production.
 */
public final class RequesterProxyServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient ProxyTarget target;
  private final transient PrototypeExchange exchange;
  private final transient RequestHeaderCopier requestHeaders;
  private final transient HttpRequester requester;
  private final transient Timeout connectTimeout;

  public RequesterProxyServlet(ProxyConfig config) {
    this.target = new ProxyTarget(config.targetUri());
    this.exchange = new PrototypeExchange(target);
    this.requestHeaders =
        new RequestHeaderCopier(
            new ForwardedHeaders(config.trustedProxies(), config.realIpHeader()),
            config.preserveHost());
    this.connectTimeout = Timeout.ofMilliseconds(config.connectTimeout().toMillis());
    this.requester =
        RequesterBootstrap.bootstrap()
            // HttpCore's default client protocol less User-Agent: like ours, adds none of its own.
            .setHttpProcessor(
                new DefaultHttpProcessor(
                    new RequestContent(),
                    new RequestTargetHost(),
                    new RequestConnControl(),
                    new RequestExpectContinue()))
            .setMaxTotal(config.maxConnections())
            .setDefaultMaxPerRoute(config.maxConnectionsPerRoute())
            .setSocketConfig(
                SocketConfig.custom()
                    .setSoTimeout(Timeout.ofMilliseconds(config.responseTimeout().toMillis()))
                    .setTcpNoDelay(true)
                    .build())
            .create();
  }

  @Override
  public void destroy() {
    requester.close(CloseMode.GRACEFUL);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    IncomingPath path = IncomingPath.of(request);
    String upstreamTarget = exchange.upstreamTargetOrRefuse(request, response, path);
    if (upstreamTarget == null) {
      return;
    }
    BasicClassicHttpRequest upstreamRequest =
        new BasicClassicHttpRequest(request.getMethod(), target.host(), upstreamTarget);
    requestHeaders.copy(request, upstreamRequest);
    if (ClientRequestEntity.present(request)) {
      upstreamRequest.setEntity(
          new ClientRequestEntity(request.getInputStream(), request.getContentLengthLong()));
    }
    ClassicHttpResponse upstreamResponse;
    try {
      upstreamResponse =
          requester.execute(
              target.host(), upstreamRequest, connectTimeout, HttpCoreContext.create());
    } catch (IOException e) {
      if (!ClientGoneException.isCause(e)) {
        FailureAnswer.send(response, UpstreamFailure.classify(e));
      }
      return;
    } catch (HttpException e) {
      FailureAnswer.send(
          response, new ProxyException(502, "Bad Gateway: the upstream's answer was malformed"));
      return;
    }
    exchange.copyResponseHead(request, path, upstreamResponse, response);
    HttpEntity entity = upstreamResponse.getEntity();
    if (entity == null) {
      upstreamResponse.close();
      return;
    }
    InputStream body = entity.getContent();
    try {
      ResponseBodyCopier.copy(body, entity.getContentLength(), response.getOutputStream());
      upstreamResponse.close(); // at the end of the body: the connection is back in the pool
    } catch (ClientGoneException e) {
      abort(body, upstreamResponse);
    } catch (IOException e) {
      abort(body, upstreamResponse);
      if (!response.isCommitted()) {
        response.reset();
        FailureAnswer.send(response, UpstreamFailure.classify(e));
        return;
      }
      throw new IOException("upstream failed mid-response", e);
    }
  }

  /** Closes the connection instead of draining the rest of the body into the pool. */
  private static void abort(InputStream body, ClassicHttpResponse upstreamResponse) {
    try {
      if (body instanceof EofSensorInputStream sensor) {
        sensor.abort();
      }
      upstreamResponse.close();
    } catch (IOException e) {
      // already shut down
    }
  }
}
