package dev.oidcgate.oidc.events;

import dev.oidcgate.oidc.logging.RepeatedFailures;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a user's listener so that its failures cannot change the filter's answer. */
public final class SafeEvents {

  private static final Logger LOG = LoggerFactory.getLogger(SafeEvents.class);

  private final OidcEventListener listener;

  public SafeEvents(OidcEventListener listener) {
    this.listener = listener;
  }

  public void fire(Consumer<OidcEventListener> event) {
    if (listener == OidcEventListener.NONE) {
      return;
    }
    try {
      event.accept(listener);
    } catch (RuntimeException e) {
      String more = RepeatedFailures.admit(LOG, "event listener threw", listener.getClass());
      if (more != null) {
        LOG.warn(
            "The OIDC event listener {} threw {}{}",
            listener.getClass().getName(),
            e.getClass().getName(),
            more);
      }
    }
  }
}
