package dev.oidcgate.proxy;

import dev.oidcgate.logging.LogThrottle;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
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
 * on), {@link ResponseHeaderRewriter} (redirects and cookies back through the proxy), {@link
 * UpstreamFailure} (502/503/504) and {@link UpstreamClient} (the pooled HttpClient). Every request
 * header except hop-by-hop and forwarding ones is passed on, including {@code Authorization} and
 * identity headers added by a filter in front.
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
  // may have failed). NullAway.Init says exactly that, for these four fields.
  @SuppressWarnings("NullAway.Init")
  private ProxyConfig config;

  @SuppressWarnings("NullAway.Init")
  private ProxyTarget target;

  @SuppressWarnings("NullAway.Init")
  private RequestHeaderCopier requestHeaders;

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
      respondWithFailure(response, escape);
      return;
    }
    IncomingPath path = incomingPath(request);
    String upstreamTarget =
        target.upstreamRequestTarget(path.forwardPath(), request.getQueryString());
    ProxyException hostLike = PathEscapes.refusalOfUpstreamTarget(upstreamTarget);
    if (hostLike != null) {
      LOG.debug("{}: refused, {}", request.getMethod(), hostLike.getMessage());
      respondWithFailure(response, hostLike);
      return;
    }
    HttpUriRequestBase upstreamRequest =
        new HttpUriRequestBase(request.getMethod(), target.baseUri());
    upstreamRequest.setPath(upstreamTarget);
    boolean expectContinue = requestHeaders.copy(request, upstreamRequest);
    if (hasBody(request)) {
      upstreamRequest.setEntity(
          new ClientRequestEntity(request.getInputStream(), request.getContentLengthLong()));
    }
    upstreamRequest.setConfig(
        upstreamClient.requestConfig(expectContinue && upstreamRequest.getEntity() != null));
    try {
      config.upstreamRequestCustomizer().customize(request, upstreamRequest);
      UpstreamDpopProof.apply(request, upstreamRequest);
    } catch (ProxyException e) {
      respondWithFailure(response, e);
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
      respondWithFailure(response, UpstreamFailure.customizerFailed(e));
      return;
    }

    ClassicHttpResponse upstreamResponse;
    try {
      upstreamResponse = upstreamClient.open(upstreamRequest);
    } catch (IOException e) {
      UpstreamClient.abort(upstreamRequest, null);
      if (causedByClient(e)) {
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
      respondWithFailure(response, failure);
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
    copyResponseHeaders(request, path, upstreamResponse, response);
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
        respondWithFailure(response, failure);
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

  private void copyResponseHeaders(
      HttpServletRequest request,
      IncomingPath path,
      ClassicHttpResponse upstreamResponse,
      HttpServletResponse response) {
    Header[] connection = upstreamResponse.getHeaders("Connection");
    HopByHopHeaders hopByHop = HopByHopHeaders.FIXED;
    if (connection.length > 0) {
      List<String> values = new ArrayList<>(connection.length);
      for (Header header : connection) {
        values.add(header.getValue());
      }
      hopByHop = HopByHopHeaders.of(values);
    }
    ResponseHeaderRewriter rewriter = null; // built for the first Location or Set-Cookie only
    for (Header header : upstreamResponse.getHeaders()) {
      String name = header.getName();
      String value = header.getValue();
      String lower = name.toLowerCase(Locale.ROOT); // once per header, for every check below
      if (hopByHop.isHopByHopLowerCase(lower) || value == null) {
        continue;
      }
      if (lower.equals("content-length")) {
        try {
          response.setContentLengthLong(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
          // A malformed length is not ours to repair; the body is streamed until it ends.
        }
        continue;
      }
      if (ResponseHeaderRewriter.rewritesLowerCase(lower)) {
        if (rewriter == null) {
          rewriter = new ResponseHeaderRewriter(target, clientOrigin(request), path.proxyPrefix());
        }
        value = rewriter.rewrite(name, value);
      }
      response.addHeader(name, value);
    }
  }

  /** {@code null} to leave this failure out of the log, else a suffix for its line. */
  private @Nullable String admitFailure(String kind) {
    return failures.admit(LOG.getName(), kind, config.targetUri().toString());
  }

  private static void respondWithFailure(HttpServletResponse response, ProxyException failure)
      throws IOException {
    if (response.isCommitted()) {
      throw new IOException(failure.getMessage());
    }
    byte[] body = (failure.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(failure.status());
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static IncomingPath incomingPath(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
    boolean strip = match == MappingMatch.PATH || match == MappingMatch.EXACT;
    return IncomingPath.of(
        request.getRequestURI(), request.getContextPath(), request.getServletPath(), strip);
  }

  private static boolean hasBody(HttpServletRequest request) {
    // An empty body is no entity: HttpClient then still sends Content-Length: 0 for POST, PUT and
    // PATCH, and does not refuse an OPTIONS without Content-Type (it does when given an entity).
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  private static boolean causedByClient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClientGoneException) {
        return true;
      }
    }
    return false;
  }

  private static String clientOrigin(HttpServletRequest request) {
    String host = request.getHeader("Host");
    if (host == null || host.isEmpty()) {
      host = request.getServerName() + ":" + request.getServerPort();
    }
    return request.getScheme() + "://" + host;
  }

  private Map<String, String> initParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String name : Collections.list(getInitParameterNames())) {
      parameters.put(name, getInitParameter(name));
    }
    return parameters;
  }
}
