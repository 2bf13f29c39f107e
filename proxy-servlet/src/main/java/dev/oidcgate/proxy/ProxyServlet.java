package dev.oidcgate.proxy;

import dev.oidcgate.logging.LogThrottle;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards every request it receives to one upstream and streams the answer back, the way an API
 * gateway proxies a route: {@code GET /app/api/get?x=1} with this servlet mapped at {@code /api/*}
 * and {@code targetUri=http://upstream:8080/base} becomes {@code GET /base/get?x=1} on the
 * upstream.
 *
 * <p>This class only coordinates; the rules live in small collaborators: {@link ProxyConfig}
 * (settings), {@link PathEscapes} (paths that could leave the target's prefix are refused), {@link
 * IncomingPath} and {@link ProxyTarget} (the raw, never re-encoded path), {@link
 * RequestHeaderCopier} with {@link HopByHopHeaders} and {@link ForwardedHeaders} (which headers go
 * on), {@link ResponseHeaderRewriter} with {@link ResponseHeaderCopier} (redirects and cookies back
 * through the proxy), {@link UpstreamFailure} (502/503/504) and {@link UpstreamClient} (the pooled
 * HttpClient). Every request header except hop-by-hop and forwarding ones is passed on, including
 * {@code Authorization} and identity headers added by a filter in front.
 *
 * <p>Configure it with init-params (public no-argument constructor; use {@code load-on-startup} so
 * a bad setting fails the deployment) or in code with {@link #ProxyServlet(ProxyConfig)}.
 * Thread-safe, as the container requires; each instance has its own pool.
 */
public final class ProxyServlet extends HttpServlet {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyServlet.class);

  private final @Nullable ProxyConfig configured;
  // One line per kind of upstream failure and minute: an outage under load is not a line per
  // request.
  private final LogThrottle failures = LogThrottle.standard();

  // Set by init(): the container sends no request before it (destroy() still checks, since init()
  // may have failed). NullAway.Init says exactly that, for these fields.
  @SuppressWarnings("NullAway.Init")
  private ProxyConfig config;

  @SuppressWarnings("NullAway.Init")
  private ProxyTarget target;

  @SuppressWarnings("NullAway.Init")
  private RequestHeaderCopier requestHeaders;

  @SuppressWarnings("NullAway.Init")
  private ResponseHeaderCopier responseHeaders;

  @SuppressWarnings("NullAway.Init")
  private UpstreamClient upstreamClient;

  /** For {@code web.xml}: the configuration is read from init-params in {@link #init()}. */
  public ProxyServlet() {
    this.configured = null;
  }

  /** For code: init-params are ignored. */
  public ProxyServlet(ProxyConfig config) {
    this.configured = Objects.requireNonNull(config, "config");
  }

  @Override
  public void init() throws ServletException {
    try {
      config = configured != null ? configured : ProxyConfig.fromParameters(initParameters());
    } catch (ProxyConfigException e) {
      // The message names the init-param; no stack trace needed to find it.
      throw new UnavailableException("ProxyServlet " + getServletName() + ": " + e.getMessage());
    }
    target = new ProxyTarget(config.targetUri());
    requestHeaders =
        new RequestHeaderCopier(
            new ForwardedHeaders(config.trustedProxies(), config.realIpHeader()),
            config.preserveHost());
    responseHeaders = new ResponseHeaderCopier(target);
    upstreamClient = new UpstreamClient(config, target);
    LOG.info("ProxyServlet {} forwards to {}", getServletName(), config.targetUri());
  }

  @Override
  public void destroy() {
    if (upstreamClient != null) {
      upstreamClient.close();
    }
    for (LogThrottle.Summary left : failures.drain()) {
      LOG.warn("{}", left.message());
    }
  }

  /** The configuration in use; {@code null} before {@link #init()}. */
  public @Nullable ProxyConfig config() {
    return config;
  }

  /** A snapshot of the connection pool to the upstream. */
  public PoolStats poolStats() {
    return upstreamClient.poolStats();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ProxyException escape = PathEscapes.refusal(request.getRequestURI());
    if (escape != null) {
      // DEBUG only: anyone can send these, and each must not cost a WARN line.
      LOG.debug("{}: refused, {}", request.getMethod(), escape.getMessage());
      FailureAnswer.send(response, escape);
      return;
    }
    IncomingPath path = IncomingPath.of(request);
    String upstreamTarget =
        target.upstreamRequestTarget(path.forwardPath(), request.getQueryString());
    ProxyException hostLike = PathEscapes.refusalOfUpstreamTarget(upstreamTarget);
    if (hostLike != null) {
      LOG.debug("{}: refused, {}", request.getMethod(), hostLike.getMessage());
      FailureAnswer.send(response, hostLike);
      return;
    }
    HttpUriRequestBase upstreamRequest =
        new HttpUriRequestBase(request.getMethod(), target.baseUri());
    upstreamRequest.setPath(upstreamTarget);
    boolean expectContinue = requestHeaders.copy(request, upstreamRequest);
    if (ClientRequestEntity.present(request)) {
      upstreamRequest.setEntity(
          new ClientRequestEntity(request.getInputStream(), request.getContentLengthLong()));
    }
    upstreamRequest.setConfig(
        upstreamClient.requestConfig(expectContinue && upstreamRequest.getEntity() != null));
    try {
      config.upstreamRequestCustomizer().customize(request, upstreamRequest);
      UpstreamDpopProof.apply(request, upstreamRequest);
    } catch (ProxyException e) {
      FailureAnswer.send(response, e);
      return;
    } catch (RuntimeException e) {
      String more = admitFailure("upstream request customizer failed");
      if (more != null) {
        LOG.warn(
            "{} {}: upstream request customizer failed: {}{}",
            request.getMethod(),
            path.forwardPath(),
            e.toString(),
            more);
      }
      FailureAnswer.send(response, UpstreamFailure.customizerFailed(e));
      return;
    }

    ClassicHttpResponse upstreamResponse;
    try {
      upstreamResponse = upstreamClient.open(upstreamRequest);
    } catch (IOException e) {
      UpstreamClient.abort(upstreamRequest, null);
      if (ClientGoneException.isCause(e)) {
        LOG.debug(
            "{} {}: client went away while sending its body",
            request.getMethod(),
            path.forwardPath());
        return;
      }
      ProxyException failure = UpstreamFailure.classify(e);
      String more = admitFailure("upstream failed");
      if (more != null) {
        LOG.warn(
            "{} {}: upstream failed, answering {}: {}{}",
            request.getMethod(),
            path.forwardPath(),
            failure.status(),
            e.toString(),
            more);
      }
      FailureAnswer.send(response, failure);
      return;
    }
    relay(request, response, path, upstreamRequest, upstreamResponse);
  }

  private void relay(
      HttpServletRequest request,
      HttpServletResponse response,
      IncomingPath path,
      HttpUriRequestBase upstreamRequest,
      ClassicHttpResponse upstreamResponse)
      throws IOException {
    response.setStatus(upstreamResponse.getCode());
    responseHeaders.copy(request, path, upstreamResponse, response);
    HttpEntity entity = upstreamResponse.getEntity();
    if (entity == null) {
      upstreamResponse.close();
      return;
    }
    try {
      InputStream body = entity.getContent();
      ResponseBodyCopier.copy(body, entity.getContentLength(), response.getOutputStream());
      // Reading to the end has returned the connection to the pool; close() only tidies up.
      upstreamResponse.close();
    } catch (ClientGoneException e) {
      LOG.debug(
          "{} {}: client went away during the response; aborting the upstream exchange",
          request.getMethod(),
          path.forwardPath());
      UpstreamClient.abort(upstreamRequest, upstreamResponse);
    } catch (IOException e) {
      UpstreamClient.abort(upstreamRequest, upstreamResponse);
      if (!response.isCommitted()) {
        ProxyException failure = UpstreamFailure.classify(e);
        String more = admitFailure("upstream failed before the response was sent");
        if (more != null) {
          LOG.warn(
              "{} {}: upstream failed before the response was sent, answering {}: {}{}",
              request.getMethod(),
              path.forwardPath(),
              failure.status(),
              e.toString(),
              more);
        }
        response.reset();
        FailureAnswer.send(response, failure);
        return;
      }
      String more = admitFailure("upstream failed mid-response");
      if (more != null) {
        LOG.warn(
            "{} {}: upstream failed mid-response, aborting the client connection: {}{}",
            request.getMethod(),
            path.forwardPath(),
            e.toString(),
            more);
      }
      // The status line is gone; the only honest signal left is a broken connection, which the
      // container produces when the servlet throws after committing.
      throw new IOException("upstream failed mid-response", e);
    }
  }

  /** {@code null} to leave this failure out of the log, else a suffix for its line. */
  private @Nullable String admitFailure(String kind) {
    return failures.admit(LOG.getName(), kind, config.targetUri().toString());
  }

  private Map<String, String> initParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String name : Collections.list(getInitParameterNames())) {
      parameters.put(name, getInitParameter(name));
    }
    return parameters;
  }
}
