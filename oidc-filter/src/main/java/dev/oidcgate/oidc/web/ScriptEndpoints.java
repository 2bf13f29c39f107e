package dev.oidcgate.oidc.web;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.config.ScriptSettings;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.login.LoginFlow;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionCookies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What scripts and single-page apps talk to: the session info path (JSON about the session, never a
 * token; {@code POST} is a keep-alive), the login path a script sends the browser to, and the 401 a
 * script gets instead of a redirect to the IdP, whose JSON carries that login URL. Origins in
 * {@code corsOrigins} may read these answers with credentials. Immutable and thread-safe.
 */
public final class ScriptEndpoints {

  /** The login flows of {@code issuerClients}, by name; empty for a name not there. */
  @FunctionalInterface
  public interface NamedLogins {
    /** No {@code issuerClients}: paths under the login path are the app's own. */
    NamedLogins NONE = name -> Optional.empty();

    Optional<LoginFlow> named(String name);
  }

  /** The idle and absolute timeouts sessions end at, to tell scripts when. */
  public record Timeouts(Duration idle, Duration maxLifetime) {}

  private static final OidcError UNKNOWN_ISSUER =
      new OidcError(404, "invalid_request", "This application has no sign-in of that name");

  private final @Nullable String sessionInfoPath;
  private final String loginPath;
  private final String loginPathUnderContext;
  private final Set<String> corsOrigins;
  private final String realm;
  private final Timeouts timeouts;
  private final Clock clock;
  private final LoginStart starter;

  private ScriptEndpoints(
      @Nullable String sessionInfoPath,
      String loginPathUnderContext,
      String contextPath,
      Set<String> corsOrigins,
      String realm,
      Timeouts timeouts,
      Clock clock,
      LoginStart starter) {
    this.starter = starter;
    this.sessionInfoPath = sessionInfoPath;
    this.loginPath = contextPath + loginPathUnderContext;
    this.loginPathUnderContext = loginPathUnderContext;
    this.corsOrigins = corsOrigins;
    this.realm = realm.replace("\\", "").replace("\"", "");
    this.timeouts = timeouts;
    this.clock = clock;
  }

  /**
   * @param urlPatterns the filter's URL patterns; the defaults go under the first {@code /x/*}
   */
  public static ScriptEndpoints resolve(
      ScriptSettings settings,
      Timeouts timeouts,
      String realm,
      Clock clock,
      LoginStart starter,
      String contextPath,
      Collection<String> urlPatterns) {
    String prefix = FilterPaths.prefixOf(urlPatterns);
    String info =
        settings.sessionInfoOff()
            ? null
            : contextPath + settings.sessionInfoPath().orElse(prefix + "/session");
    return new ScriptEndpoints(
        info,
        settings.loginPath().orElse(prefix + "/login"),
        contextPath,
        settings.corsOrigins(),
        realm,
        timeouts,
        clock,
        starter);
  }

  /**
   * Answers the session info and login paths; does nothing elsewhere. {@code <loginPath>/<name>}
   * starts the login at the issuer {@code issuerClients} names so; a name not there gets a 404 page
   * (the URL names a login that does not exist) and no request to any issuer. Without {@code
   * issuerClients} ({@link NamedLogins#NONE}) paths under the login path are left to the app.
   *
   * @param login the flow of {@code issuer}, which the login path starts
   * @return whether the request was answered here
   */
  public boolean handle(
      HttpServletRequest request,
      HttpServletResponse response,
      LoginFlow login,
      NamedLogins named,
      SessionCookies cookies,
      FilterPaths paths,
      ErrorResponder errors)
      throws IOException {
    String uri = request.getRequestURI();
    try {
      if (uri.equals(sessionInfoPath)) {
        sessionInfo(request, response, login, cookies, paths);
        return true;
      }
      if (!LoginResponses.isBrowserNavigation(request)) {
        return false;
      }
      if (uri.equals(loginPath)) {
        startLogin(login, request, response, cookies, paths);
        return true;
      }
      if (named != NamedLogins.NONE && uri.startsWith(loginPath + "/")) {
        Optional<LoginFlow> at = named.named(uri.substring(loginPath.length() + 1));
        if (at.isEmpty()) {
          LoginResponses.errorPage(response, UNKNOWN_ISSUER);
        } else {
          startLogin(at.get(), request, response, cookies, paths);
        }
        return true;
      }
    } catch (OidcErrorException e) {
      errors.write(response, e.error());
      allowOrigin(request, response);
      return true;
    }
    return false;
  }

  private void startLogin(
      LoginFlow login,
      HttpServletRequest request,
      HttpServletResponse response,
      SessionCookies cookies,
      FilterPaths paths)
      throws OidcErrorException, IOException {
    String returnTo = request.getParameter("return");
    // A silent session check: the IdP answers without showing anything, and a "login_required"
    // (or the like) comes back to the return URL as ?oidc_error= instead of an error page.
    String[] prompt = request.getParameterValues("prompt");
    boolean silent = prompt != null && prompt.length == 1 && prompt[0].equals("none");
    LoginResponses.redirect(
        response,
        starter.begin(
            login,
            request,
            returnTo == null ? paths.fallbackReturnUrl() : returnTo,
            paths,
            cookies,
            silent ? Map.of("prompt", "none") : Map.of()));
  }

  private void sessionInfo(
      HttpServletRequest request,
      HttpServletResponse response,
      LoginFlow login,
      SessionCookies cookies,
      FilterPaths paths)
      throws OidcErrorException, IOException {
    Optional<OidcSession> session;
    if ("POST".equals(request.getMethod())) {
      session = login.sessions().current(cookies); // keep-alive: counts as use, refreshes if due
    } else if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
      session = login.sessions().stored(cookies).filter(s -> endsAt(s).isAfter(clock.instant()));
    } else {
      throw OidcErrors.invalidRequest("Use GET to read the session or POST to keep it alive");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("authenticated", session.isPresent());
    if (session.isPresent()) {
      OidcSession s = session.get();
      out.put("sub", s.subject());
      out.put("iss", s.issuer());
      out.put("auth_time", s.createdAt().getEpochSecond());
      out.put("expires_at", endsAt(s).getEpochSecond());
      out.put("idle_timeout", timeouts.idle().toSeconds());
    }
    out.put("login_url", loginUrl(request, paths));
    writeJson(request, response, 200, out);
  }

  /** When the session ends unless used again: its idle or its absolute timeout. */
  private Instant endsAt(OidcSession s) {
    Instant idle = s.lastSeenAt().plus(timeouts.idle());
    Instant max = s.createdAt().plus(timeouts.maxLifetime());
    return idle.isBefore(max) ? idle : max;
  }

  /**
   * 401 for a script (not a page load) without a usable session: JSON with the login URL, so the
   * app can send the person there, rather than a redirect to the IdP that a script cannot follow
   * (CORS) and would show as an opaque failure.
   */
  public void unauthorized(
      HttpServletRequest request, HttpServletResponse response, FilterPaths paths)
      throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("error", "unauthorized");
    out.put("error_description", "Authentication required");
    out.put("login_url", loginUrl(request, paths));
    response.reset();
    response.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
    writeJson(request, response, 401, out);
  }

  private String loginUrl(HttpServletRequest request, FilterPaths paths) {
    return paths.absolute(request, loginPathUnderContext);
  }

  private void writeJson(
      HttpServletRequest request, HttpServletResponse response, int status, Map<String, Object> o)
      throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    allowOrigin(request, response);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(JSONObjectUtils.toJSONString(o));
  }

  /** CORS with credentials, for configured origins only (never a wildcard, never reflected). */
  private void allowOrigin(HttpServletRequest request, HttpServletResponse response) {
    response.addHeader("Vary", "Origin");
    String origin = request.getHeader("Origin");
    if (origin != null && corsOrigins.contains(origin)) {
      response.setHeader("Access-Control-Allow-Origin", origin);
      response.setHeader("Access-Control-Allow-Credentials", "true");
      response.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
    }
  }
}
