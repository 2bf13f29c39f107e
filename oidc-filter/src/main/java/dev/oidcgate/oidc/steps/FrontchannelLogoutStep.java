package dev.oidcgate.oidc.steps;

import static dev.oidcgate.oidc.steps.FilterLog.LOG;

import dev.oidcgate.oidc.IssuerGates;
import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.cluster.LogoutRecords;
import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionStoreException;
import dev.oidcgate.oidc.web.ErrorResponder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The front-channel logout path (OpenID Connect Front-Channel Logout 1.0): the IdP's logout page
 * loads it in an iframe. {@code iss} and {@code sid} end that IdP session on every node, through
 * the logout records back-channel logout writes; without them, the session of the browser that asks
 * ends (when its cookie reaches us, which a third-party iframe may not send). An {@code iss} whose
 * sessions this filter does not keep is refused with 400. The answer is a small page that only the
 * issuer's origin may frame, never cached.
 */
final class FrontchannelLogoutStep implements RequestStep {

  private static final String PAGE =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Signed out</title></head>"
          + "<body><p>Signed out.</p></body></html>";

  private final String path;
  private final IssuerGates gates;
  private final ErrorResponder errors;

  /**
   * @param path the path under the context, as configured
   */
  FrontchannelLogoutStep(
      String contextPath, String path, IssuerGates gates, ErrorResponder errors) {
    this.path = contextPath + path;
    this.gates = gates;
    this.errors = errors;
  }

  @Override
  public Outcome handle(Exchange exchange) throws IOException {
    HttpServletRequest request = exchange.request();
    if (!request.getRequestURI().equals(path)) {
      return Outcome.NEXT;
    }
    HttpServletResponse response = exchange.response();
    try {
      String frameAncestors = logout(exchange);
      response.setStatus(200);
      response.setHeader("Cache-Control", "no-cache, no-store");
      response.setHeader("Pragma", "no-cache");
      response.setHeader(
          "Content-Security-Policy", "default-src 'none'; frame-ancestors " + frameAncestors);
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("Referrer-Policy", "no-referrer");
      response.setContentType("text/html");
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      if (!"HEAD".equals(request.getMethod())) {
        response.getWriter().write(PAGE);
      }
    } catch (OidcErrorException e) {
      errors.write(response, e.error());
      response.setHeader("Cache-Control", "no-cache, no-store");
      if (e.error().status() == 405) {
        response.setHeader("Allow", "GET");
      }
    }
    return Outcome.ANSWERED;
  }

  /**
   * Ends what the request names.
   *
   * @return the origins that may frame the answer
   */
  private String logout(Exchange exchange) throws OidcErrorException {
    HttpServletRequest request = exchange.request();
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      throw new OidcErrorException(new OidcError(405, "invalid_request", "Use GET"));
    }
    String iss = single(request, "iss");
    String sid = single(request, "sid");
    if (iss == null && sid != null) {
      throw OidcErrors.invalidRequest("sid needs iss");
    }
    OidcGate gate = null;
    if (iss != null) {
      gate = gates.withLoginAt(iss).orElse(null);
      if (gate == null) {
        LOG.info("Refused a front-channel logout: iss is not an issuer of this application");
        throw OidcErrors.invalidRequest("iss is not an issuer of this application");
      }
    }
    try {
      if (gate != null && sid != null) {
        LogoutRecords records = gate.logoutRecords().orElseThrow();
        records.endSid(
            gate.issuer(), sid, Optional.empty(), gate.config().extensions().clock().instant());
      }
      Optional<IssuerGates.Signed> browser = gates.stored(exchange.cookies());
      if (browser.isPresent() && (gate == null || browser.get().gate() == gate)) {
        OidcSession session = browser.get().session();
        if (sid == null || session.sidValue().map(sid::equals).orElse(false)) {
          browser.get().gate().login().orElseThrow().sessions().end(session, exchange.cookies());
        }
      }
    } catch (SessionStoreException e) {
      throw OidcErrors.providerUnavailable("Sessions are unavailable", 5);
    }
    LOG.info(
        "Front-channel logout from {}{}",
        iss == null ? "an IdP page without iss" : iss,
        sid == null ? " (this browser's session)" : " (by sid)");
    return frameAncestors(iss == null ? gates.loginIssuers() : List.of(iss));
  }

  /** The one value of a query parameter; null when absent. */
  private static @Nullable String single(HttpServletRequest request, String name)
      throws OidcErrorException {
    String[] values = request.getParameterValues(name);
    if (values == null) {
      return null;
    }
    if (values.length != 1 || values[0].isEmpty()) {
      throw OidcErrors.invalidRequest("Send at most one non-empty " + name);
    }
    return values[0];
  }

  /** The issuers' origins, as a CSP source list ({@code 'none'} for no issuer). */
  static String frameAncestors(List<String> issuers) {
    Set<String> origins = new LinkedHashSet<>();
    for (String issuer : issuers) {
      URI u = URI.create(issuer);
      if (u.getScheme() != null && u.getHost() != null) {
        origins.add(
            u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()));
      }
    }
    return origins.isEmpty() ? "'none'" : String.join(" ", origins);
  }
}
