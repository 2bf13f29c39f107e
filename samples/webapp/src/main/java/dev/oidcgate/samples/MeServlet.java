package dev.oidcgate.samples;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.identity.OidcPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

/**
 * {@code GET /me}: the signed-in user's claims as a JSON object, exactly as the OIDC filter in
 * front of this servlet verified them ({@code getUserPrincipal()} is a {@link OidcPrincipal}).
 * Without a principal (the filter not mapped here, or set to let anonymous requests pass) it
 * answers 401.
 */
public final class MeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Principal principal = request.getUserPrincipal();
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    if (!(principal instanceof OidcPrincipal)) {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.getWriter().write("{\"error\":\"not signed in\"}");
      return;
    }
    response.getWriter().write(JSONObjectUtils.toJSONString(((OidcPrincipal) principal).claims()));
  }
}
