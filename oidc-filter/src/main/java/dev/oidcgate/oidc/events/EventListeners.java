package dev.oidcgate.oidc.events;

import org.jspecify.annotations.Nullable;

/** Combines listeners. */
public final class EventListeners {

  private EventListeners() {}

  /**
   * A listener that tells {@code first} and then {@code second}; a failure of the first does not
   * keep the second from hearing the event.
   */
  public static OidcEventListener both(OidcEventListener first, OidcEventListener second) {
    if (first == OidcEventListener.NONE) {
      return second;
    }
    if (second == OidcEventListener.NONE) {
      return first;
    }
    SafeEvents a = new SafeEvents(first);
    SafeEvents b = new SafeEvents(second);
    return new OidcEventListener() {
      @Override
      public void loginSucceeded(String issuer, String subject) {
        a.fire(l -> l.loginSucceeded(issuer, subject));
        b.fire(l -> l.loginSucceeded(issuer, subject));
      }

      @Override
      public void loginFailed(String reason) {
        a.fire(l -> l.loginFailed(reason));
        b.fire(l -> l.loginFailed(reason));
      }

      @Override
      public void tokenRefreshed(String subject) {
        a.fire(l -> l.tokenRefreshed(subject));
        b.fire(l -> l.tokenRefreshed(subject));
      }

      @Override
      public void refreshFailed(String subject, String reason) {
        a.fire(l -> l.refreshFailed(subject, reason));
        b.fire(l -> l.refreshFailed(subject, reason));
      }

      @Override
      public void validationFailed(@Nullable String error, String reason) {
        a.fire(l -> l.validationFailed(error, reason));
        b.fire(l -> l.validationFailed(error, reason));
      }

      @Override
      public void accessDenied(@Nullable String subject, String reason) {
        a.fire(l -> l.accessDenied(subject, reason));
        b.fire(l -> l.accessDenied(subject, reason));
      }

      @Override
      public void loggedOut(String subject) {
        a.fire(l -> l.loggedOut(subject));
        b.fire(l -> l.loggedOut(subject));
      }

      @Override
      public void requestCompleted(int status, java.time.Duration elapsed) {
        a.fire(l -> l.requestCompleted(status, elapsed));
        b.fire(l -> l.requestCompleted(status, elapsed));
      }
    };
  }
}
