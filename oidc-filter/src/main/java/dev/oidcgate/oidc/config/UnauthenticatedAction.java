package dev.oidcgate.oidc.config;

import java.util.Locale;

/** What the filter does with a request that carries no credential. */
public enum UnauthenticatedAction {
  /** Browser navigations are sent to log in; anything else gets 401. */
  REDIRECT,
  /** Always 401 with a Bearer challenge (an API). */
  DENY,
  /** The request goes on anonymously; the app decides (getUserPrincipal() is null). */
  PASS;

  /** The value as written in configuration. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
