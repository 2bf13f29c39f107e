package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.error.OidcError;
import dev.oidcgate.oidc.token.DpopProofs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Writes an {@link OidcError} as the response, the one place where errors become HTTP: status, an
 * RFC 6750 §3 {@code WWW-Authenticate: Bearer} challenge for 400/401/403, {@code Retry-After} for
 * 503, and a short JSON body. Nothing from the request is echoed.
 */
public final class ErrorResponder {

  private final String realm;
  private final @Nullable ForbiddenPage forbiddenPage;
  private final @Nullable FilterPaths paths;

  public ErrorResponder(String realm) {
    this.realm = realm.replace("\\", "").replace("\"", "");
    this.forbiddenPage = null;
    this.paths = null;
  }

  /**
   * Like the other, with the HTML page a person's browser gets for a refusal (403) in {@link
   * #refuse}.
   */
  public ErrorResponder(String realm, ForbiddenPage forbiddenPage, FilterPaths paths) {
    this.realm = realm.replace("\\", "").replace("\"", "");
    this.forbiddenPage = forbiddenPage;
    this.paths = paths;
  }

  /**
   * Answers a refused request: a person's page load refused with 403 gets the {@link
   * ForbiddenPage}, anything else (scripts, API clients, 401) the JSON of {@link #write}.
   *
   * @param request the request as the app sees it
   */
  public void refuse(HttpServletRequest request, HttpServletResponse response, OidcError error)
      throws IOException {
    if (forbiddenPage != null && paths != null && ForbiddenPage.answers(request, error)) {
      forbiddenPage.write(request, response, error, paths.origin(request), challenge(error));
    } else {
      write(response, error);
    }
  }

  public void write(HttpServletResponse response, OidcError error) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.reset();
    response.setStatus(error.status());
    response.setHeader("Cache-Control", "no-store");
    if (error.hasBearerChallenge() || error.status() == 400) {
      response.setHeader("WWW-Authenticate", challenge(error));
    }
    if (error.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
    }
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String code = error.code() == null ? "unauthorized" : error.code();
    // Both strings are limited to RFC 6750's error charset (no quote or backslash), so safe in
    // JSON.
    response
        .getWriter()
        .write(
            "{\"error\":\"" + code + "\",\"error_description\":\"" + error.description() + "\"}");
  }

  private String challenge(OidcError error) {
    StringBuilder b =
        new StringBuilder(error.scheme()).append(" realm=\"").append(realm).append('"');
    if (OidcError.DPOP.equals(error.scheme())) {
      b.append(", algs=\"").append(DpopProofs.ALGORITHM_NAMES).append('"');
    }
    if (error.code() != null) {
      b.append(", error=\"").append(error.code()).append('"');
      b.append(", error_description=\"").append(error.description()).append('"');
    }
    return b.toString();
  }
}
