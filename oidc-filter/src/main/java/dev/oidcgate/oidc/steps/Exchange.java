package dev.oidcgate.oidc.steps;

import dev.oidcgate.oidc.web.IdentityRequest;
import dev.oidcgate.oidc.web.ServletSessionCookies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * One request on its way through the steps, with what earlier steps found out about it: the request
 * without client-sent identity headers, the session cookies, whether the path is public and the
 * caller. Made per request and used by one thread.
 */
final class Exchange {

  private HttpServletRequest request;
  private final HttpServletResponse response;
  private final FilterChain chain;

  // Set by StripIdentityStep (setUp) before any step that reads them.
  @SuppressWarnings("NullAway.Init")
  private IdentityRequest stripped;

  @SuppressWarnings("NullAway.Init")
  private ServletSessionCookies cookies;

  private boolean isPublic;
  private Credentials.@Nullable Found caller;

  Exchange(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
    this.request = request;
    this.response = response;
    this.chain = chain;
  }

  /** The request as it came. */
  HttpServletRequest request() {
    return request;
  }

  /**
   * Set by {@link ReplayStep}: from here on the request is the kept form post it replays; the
   * stripped request is set up again for it.
   */
  void replay(HttpServletRequest replayed, IdentityRequest stripped) {
    this.request = replayed;
    this.stripped = stripped;
  }

  HttpServletResponse response() {
    return response;
  }

  FilterChain chain() {
    return chain;
  }

  /** Set by {@link StripIdentityStep}, before every step that passes the request on. */
  void setUp(IdentityRequest stripped, ServletSessionCookies cookies) {
    this.stripped = stripped;
    this.cookies = cookies;
  }

  /** The request without client-sent identity headers and the filter's own cookies. */
  IdentityRequest stripped() {
    return stripped;
  }

  ServletSessionCookies cookies() {
    return cookies;
  }

  /** Set by {@link CredentialsStep}: the path's publicness and the caller (null when none). */
  void found(boolean isPublic, Credentials.@Nullable Found caller) {
    this.isPublic = isPublic;
    this.caller = caller;
  }

  boolean isPublic() {
    return isPublic;
  }

  /** The caller {@link CredentialsStep} found; null when the request carries no credential. */
  Credentials.@Nullable Found caller() {
    return caller;
  }
}
