package dev.oidcgate.oidc.events;

import org.jspecify.annotations.Nullable;

/**
 * Hears what the filter decides, for metrics and audit. Every method has an empty default, so an
 * implementation overrides only what it needs.
 *
 * <p>Contract: methods are called on request threads, so they must be fast and thread-safe; they
 * should not throw (an exception is caught, logged once per call and otherwise ignored). Arguments
 * never contain a token, code, secret or cookie value; {@code reason} is the same short text the
 * caller is told.
 */
public interface OidcEventListener {

  /** Hears nothing. */
  OidcEventListener NONE = new OidcEventListener() {};

  /** A browser finished a login; a new session exists. */
  default void loginSucceeded(String issuer, String subject) {}

  /** A login's callback was refused (state, nonce, ID token, IdP error, ...). */
  default void loginFailed(String reason) {}

  /** A session's access token was refreshed. */
  default void tokenRefreshed(String subject) {}

  /** A refresh failed; the session goes on while its token is valid, else it ends. */
  default void refreshFailed(String subject, String reason) {}

  /**
   * A bearer token was refused; {@code error} is the RFC 6750 code (e.g. {@code invalid_token}).
   */
  default void validationFailed(@Nullable String error, String reason) {}

  /** An authenticated caller was refused by the access rules (403). */
  default void accessDenied(@Nullable String subject, String reason) {}

  /** A session was ended at the logout path. */
  default void loggedOut(String subject) {}

  /** The issuer's signing keys were fetched (a new {@code kid}, or the periodic refresh). */
  default void keysFetched(boolean succeeded) {}

  /**
   * The introspection endpoint was called for an opaque token; {@code outcome} is {@code active},
   * {@code inactive} (refused by the provider or by the checks on its answer) or {@code failed}
   * (the provider could not be asked). Refusals served from the cache are not calls.
   */
  default void introspected(String outcome) {}

  /**
   * A request through the filter is done: {@code status} is the response's (the filter's own answer
   * or the app's), {@code elapsed} the time in the filter and everything behind it.
   */
  default void requestCompleted(int status, java.time.Duration elapsed) {}

  /**
   * The provider was asked for a token for an upstream: {@code kind} is {@code exchange} (RFC 8693)
   * or {@code client} (client credentials); {@code outcome} is {@code issued} or {@code failed}.
   * Tokens served from the cache are not calls.
   */
  default void upstreamTokenFetched(String kind, String outcome) {}
}
