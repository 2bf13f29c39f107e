package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.oidc.events.OidcEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records events as text, for tests; configured by class name as a web.xml user would. */
public final class RecordingListener implements OidcEventListener {

  public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  @Override
  public void loginSucceeded(String issuer, String subject) {
    EVENTS.add("loginSucceeded " + subject);
  }

  @Override
  public void loginFailed(String reason) {
    EVENTS.add("loginFailed " + reason);
  }

  @Override
  public void tokenRefreshed(String subject) {
    EVENTS.add("tokenRefreshed " + subject);
  }

  @Override
  public void validationFailed(String error, String reason) {
    EVENTS.add("validationFailed " + error + " " + reason);
  }

  @Override
  public void accessDenied(String subject, String reason) {
    EVENTS.add("accessDenied " + subject);
  }

  @Override
  public void loggedOut(String subject) {
    EVENTS.add("loggedOut " + subject);
    throw new IllegalStateException("a listener bug must not change the answer");
  }
}
