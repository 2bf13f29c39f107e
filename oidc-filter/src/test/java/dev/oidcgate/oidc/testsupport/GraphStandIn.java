package dev.oidcgate.oidc.testsupport;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.testserver.LoopbackJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph's {@code POST /v1.0/users/{id}/getMemberGroups} on 127.0.0.1, as Microsoft
 * documents it ("user: getMemberGroups"): a JSON body with {@code securityEnabledOnly}, a bearer
 * app token, and {@code {"value": [group ids]}} back; 404 for an unknown user.
 */
public final class GraphStandIn implements AutoCloseable {

  private static final Pattern MEMBER_GROUPS =
      Pattern.compile("/v1\\.0/users/([^/]+)/getMemberGroups");

  /** Group ids by user object id. */
  public final Map<String, List<String>> memberships = new ConcurrentHashMap<>();

  /** The user ids asked about, one per call. */
  public final List<String> calls = new CopyOnWriteArrayList<>();

  /** When not 0, every call is answered with this status (and a Graph error body). */
  public volatile int failWith;

  private final Predicate<String> appTokens;
  private final LoopbackJetty server;

  /**
   * @param appTokens which bearer tokens Graph accepts (the IdP stand-in's app tokens)
   */
  public GraphStandIn(Predicate<String> appTokens) throws Exception {
    this.appTokens = appTokens;
    server = LoopbackJetty.serve(new Endpoint());
  }

  /** The value for {@code graphEndpoint}. */
  public String endpoint() {
    return server.url("/v1.0").toString();
  }

  @Override
  public void close() {
    server.close();
  }

  private final class Endpoint extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Matcher m = MEMBER_GROUPS.matcher(req.getRequestURI());
      if (!"POST".equals(req.getMethod()) || !m.matches()) {
        error(resp, 404, "Request_ResourceNotFound");
        return;
      }
      String auth = String.valueOf(req.getHeader("Authorization"));
      if (!auth.startsWith("Bearer ") || !appTokens.test(auth.substring(7))) {
        error(resp, 401, "InvalidAuthenticationToken");
        return;
      }
      Map<String, Object> body;
      try {
        body =
            JSONObjectUtils.parse(
                new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (java.text.ParseException e) {
        error(resp, 400, "BadRequest");
        return;
      }
      if (!(body.get("securityEnabledOnly") instanceof Boolean)) {
        error(resp, 400, "BadRequest");
        return;
      }
      calls.add(m.group(1));
      if (failWith != 0) {
        error(resp, failWith, "ServiceUnavailable");
        return;
      }
      List<String> groups = memberships.get(m.group(1));
      if (groups == null) {
        error(resp, 404, "Request_ResourceNotFound");
        return;
      }
      json(resp, 200, JSONObjectUtils.toJSONString(Map.of("value", groups)));
    }
  }

  private static void error(HttpServletResponse resp, int status, String code) throws IOException {
    json(resp, status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"stand-in\"}}");
  }

  private static void json(HttpServletResponse resp, int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.getWriter().write(body);
  }
}
