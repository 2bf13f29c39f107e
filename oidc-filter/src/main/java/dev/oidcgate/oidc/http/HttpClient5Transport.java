package dev.oidcgate.oidc.http;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The default {@link IdpTransport}: Apache HttpClient 5 with a small connection pool, connect and
 * read timeouts, a deadline for the whole call (connect plus read timeout: a provider that drips
 * one byte per second never trips a read timeout, and would otherwise hold the caller for ever), a
 * cap on the response size, no redirects (keys and metadata come from the URL configured or
 * discovered, nowhere else), no cookies and the JVM's proxy settings. Thread-safe; close it with
 * the filter.
 */
public final class HttpClient5Transport implements IdpTransport, AutoCloseable {

  private final CloseableHttpClient client;
  private final int maxResponseSize;
  private final Duration callTimeout;
  private final ScheduledThreadPoolExecutor deadlines;

  /**
   * A transport with a pool of 20 connections, 10 per host.
   *
   * @param connectTimeout time to open a connection
   * @param readTimeout time to wait for the response and between packets of it
   * @param maxResponseSize largest body accepted, in bytes
   */
  public HttpClient5Transport(Duration connectTimeout, Duration readTimeout, int maxResponseSize) {
    this(connectTimeout, readTimeout, maxResponseSize, 20, 10);
  }

  /**
   * A transport with its own pool of {@code maxConnections}, all of which may go to one host: for a
   * kind of call (introspection) that must not take connections from the others.
   */
  public HttpClient5Transport(
      Duration connectTimeout, Duration readTimeout, int maxResponseSize, int maxConnections) {
    this(connectTimeout, readTimeout, maxResponseSize, maxConnections, maxConnections);
  }

  private HttpClient5Transport(
      Duration connectTimeout,
      Duration readTimeout,
      int maxResponseSize,
      int maxConnections,
      int maxPerRoute) {
    this.maxResponseSize = maxResponseSize;
    this.callTimeout = connectTimeout.plus(readTimeout);
    // Its own thread: the filter's scheduler may itself be blocked in a call that must be cut.
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "oidc-gate-http-deadline");
              t.setDaemon(true);
              return t;
            });
    deadlines.setRemoveOnCancelPolicy(true);
    PoolingHttpClientConnectionManager pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(connectTimeout))
                    .setSocketTimeout(Timeout.of(readTimeout))
                    .build())
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxPerRoute)
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(pool)
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                    .setResponseTimeout(Timeout.of(readTimeout))
                    .setRedirectsEnabled(false)
                    .build())
            .disableCookieManagement()
            .disableAuthCaching()
            .useSystemProperties()
            .setUserAgent("oidc-gate")
            .build();
  }

  @Override
  public HTTPResponse send(HTTPRequest request) throws IOException {
    HttpUriRequestBase out = new HttpUriRequestBase(request.getMethod().name(), request.getURI());
    for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
      for (String value : h.getValue()) {
        out.addHeader(h.getKey(), value);
      }
    }
    String body = request.getBody();
    if (body != null) {
      String type =
          request.getEntityContentType() == null
              ? "application/x-www-form-urlencoded"
              : request.getEntityContentType().toString();
      out.setEntity(
          new StringEntity(body, ContentType.parse(type).withCharset(StandardCharsets.UTF_8)));
    }
    // Cancelling closes the connection, which ends a blocked read at once.
    ScheduledFuture<?> deadline =
        deadlines.schedule(out::cancel, callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return client.execute(out, this::toNimbus);
    } catch (IOException e) {
      if (out.isCancelled()) {
        throw new SocketTimeoutException("no complete answer within " + callTimeout);
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  private HTTPResponse toNimbus(ClassicHttpResponse response) throws IOException {
    HTTPResponse result = new HTTPResponse(response.getCode());
    for (Header h : response.getHeaders()) {
      List<String> existing = result.getHeaderValues(h.getName());
      if (existing == null || existing.isEmpty()) {
        result.setHeader(h.getName(), h.getValue());
      } else {
        String[] values = existing.toArray(new String[existing.size() + 1]);
        values[existing.size()] = h.getValue();
        result.setHeader(h.getName(), values);
      }
    }
    HttpEntity entity = response.getEntity();
    if (entity != null) {
      Charset charset = StandardCharsets.UTF_8;
      ContentType type = ContentType.parseLenient(entity.getContentType());
      if (type != null && type.getCharset() != null) {
        charset = type.getCharset();
      }
      result.setBody(new String(readCapped(entity), charset));
    }
    return result;
  }

  private byte[] readCapped(HttpEntity entity) throws IOException {
    if (entity.getContentLength() > maxResponseSize) {
      throw new IOException("response larger than " + maxResponseSize + " bytes");
    }
    try (InputStream in = entity.getContent()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) >= 0) {
        if (buffer.size() + n > maxResponseSize) {
          throw new IOException("response larger than " + maxResponseSize + " bytes");
        }
        buffer.write(chunk, 0, n);
      }
      return buffer.toByteArray();
    }
  }

  @Override
  public void close() throws IOException {
    deadlines.shutdownNow();
    client.close();
  }
}
