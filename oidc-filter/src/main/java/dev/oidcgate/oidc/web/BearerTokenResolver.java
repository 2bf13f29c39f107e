package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds the bearer token in {@code Authorization: Bearer <token>} (RFC 6750 §2.1). Tokens in the
 * query string or form body are not accepted (RFC 9700 §2.5: they leak into logs and history).
 */
public final class BearerTokenResolver {

  private static final String SCHEME = "Bearer";

  /**
   * @return the token, or {@code null} when the request carries no bearer credential
   * @throws OidcErrorException 400 when more than one {@code Authorization} header is sent
   */
  public @Nullable String resolve(HttpServletRequest request) throws OidcErrorException {
    List<String> values = Collections.list(request.getHeaders("Authorization"));
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw OidcErrors.invalidRequest("More than one Authorization header");
    }
    String token = credentials(values.get(0).trim());
    if (token == null) {
      return null; // another scheme: answered like no credential, with a Bearer challenge
    }
    if (token.isEmpty()) {
      throw OidcErrors.invalidToken("The bearer token is empty");
    }
    return token;
  }

  /**
   * What follows {@code Bearer} (any case) and at least one space, trimmed; empty for a bare {@code
   * Bearer}; {@code null} for another scheme. Compared by hand rather than with a regular
   * expression, which walked the whole token on every request ({@code (.*)}); the token's syntax is
   * the validator's job (RFC 6750 b64token), so a stray character gets {@code invalid_token}.
   */
  private static @Nullable String credentials(String value) {
    if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    if (value.length() == SCHEME.length()) {
      return "";
    }
    if (value.charAt(SCHEME.length()) != ' ') {
      return null;
    }
    return value.substring(SCHEME.length() + 1).trim();
  }
}
