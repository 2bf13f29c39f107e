package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the bearer token in {@code Authorization: Bearer <token>} (RFC 6750 §2.1). Tokens in the
 * query string or form body are not accepted (RFC 9700 §2.5: they leak into logs and history).
 */
public final class BearerTokenResolver {

  private static final Pattern BEARER = Pattern.compile("(?i)bearer(?: +(.*))?");

  /**
   * @return the token, or {@code null} when the request carries no bearer credential
   * @throws OidcErrorException 400 when more than one {@code Authorization} header is sent
   */
  public String resolve(HttpServletRequest request) throws OidcErrorException {
    List<String> values = Collections.list(request.getHeaders("Authorization"));
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw OidcErrors.invalidRequest("More than one Authorization header");
    }
    var m = BEARER.matcher(values.get(0).trim());
    if (!m.matches()) {
      return null; // another scheme: answered like no credential, with a Bearer challenge
    }
    String token = m.group(1) == null ? "" : m.group(1).trim();
    if (token.isEmpty()) {
      throw OidcErrors.invalidToken("The bearer token is empty");
    }
    return token;
  }
}
