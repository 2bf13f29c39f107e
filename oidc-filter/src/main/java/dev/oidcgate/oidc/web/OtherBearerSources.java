package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.LoginSettings;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens outside {@code Authorization}, each only where configured: another header ({@code
 * bearerTokenHeader}) or a query parameter ({@code bearerTokenQueryParameter}, RFC 6750 §2.3). The
 * query string is read raw, never through {@code getParameter}, so a form body is never consumed.
 * Immutable and thread-safe.
 */
public final class OtherBearerSources {

  private final Optional<String> header;
  private final Optional<String> queryParameter;

  public OtherBearerSources(LoginSettings settings) {
    this.header = settings.bearerTokenHeader();
    this.queryParameter = settings.bearerTokenQueryParameter();
  }

  /**
   * @return the token, or {@code null} when none of the configured places has one
   * @throws OidcErrorException 400 when a token comes in more than one place or twice, 401 when it
   *     is empty
   */
  public @Nullable String resolve(HttpServletRequest request) throws OidcErrorException {
    String fromHeader = header.isPresent() ? fromHeader(request, header.get()) : null;
    String fromQuery = queryParameter.isPresent() ? fromQuery(request, queryParameter.get()) : null;
    if (fromHeader != null && fromQuery != null) {
      throw OidcErrors.invalidRequest("More than one bearer token"); // RFC 6750 §2
    }
    String token = fromHeader != null ? fromHeader : fromQuery;
    if (token != null && token.isEmpty()) {
      throw OidcErrors.invalidToken("The bearer token is empty");
    }
    return token;
  }

  private static @Nullable String fromHeader(HttpServletRequest request, String name)
      throws OidcErrorException {
    List<String> values = Collections.list(request.getHeaders(name));
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw OidcErrors.invalidRequest("More than one " + name + " header");
    }
    String v = values.get(0).trim();
    return v.toLowerCase(Locale.ROOT).startsWith("bearer ") ? v.substring(7).trim() : v;
  }

  private static @Nullable String fromQuery(HttpServletRequest request, String name)
      throws OidcErrorException {
    String query = request.getQueryString();
    if (query == null) {
      return null;
    }
    String found = null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (!decode(key).equals(name)) {
        continue;
      }
      if (found != null) {
        throw OidcErrors.invalidRequest("More than one " + name + " parameter");
      }
      found = eq < 0 ? "" : decode(pair.substring(eq + 1)).trim();
    }
    return found;
  }

  private static String decode(String s) throws OidcErrorException {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OidcErrors.invalidRequest("The query string is malformed");
    }
  }
}
