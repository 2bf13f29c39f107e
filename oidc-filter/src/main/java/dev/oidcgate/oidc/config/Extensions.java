package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.session.SessionStore;
import dev.oidcgate.settings.SettingParsers;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What code may plug in: each has a default that needs no configuration.
 *
 * @param clock every expiry decision is made with it
 * @param transport empty for the default Apache HttpClient 5 transport to the identity provider
 * @param eventListener {@link OidcEventListener#NONE} unless one is set
 * @param sessionStore a store of the app's own, overriding {@code sessionStore}; empty for none
 */
public record Extensions(
    Clock clock,
    Optional<IdpTransport> transport,
    OidcEventListener eventListener,
    Optional<SessionStore> sessionStore) {
  public static final OidcSetting<OidcEventListener> EVENT_LISTENER =
      OidcSetting.define(
          "eventListener",
          null,
          "A class implementing `dev.oidcgate.oidc.events.OidcEventListener` (public, no-argument"
              + " constructor) that hears logins, refreshes and refusals, for metrics and audit.",
          v -> SettingParsers.instanceOf(v, OidcEventListener.class));

  public Extensions {
    Objects.requireNonNull(clock);
    Objects.requireNonNull(transport);
    Objects.requireNonNull(eventListener);
    Objects.requireNonNull(sessionStore);
  }
}
