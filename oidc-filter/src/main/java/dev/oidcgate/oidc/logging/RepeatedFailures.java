package dev.oidcgate.oidc.logging;

import dev.oidcgate.logging.LogThrottle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's one {@link LogThrottle}: every WARN or ERROR line that a request or a background
 * retry can cause again and again goes through it, so an outage writes one line per kind of failure
 * and minute, not one per request. Shared by all filters of a class loader; kinds carry their
 * target (the endpoint, the issuer), so two filters' failures are still told apart.
 *
 * <pre>{@code
 * String more = RepeatedFailures.admit(LOG, "token endpoint unreachable", endpoint);
 * if (more != null) {
 *   LOG.warn("The token endpoint could not be reached: {}{}", e.getMessage(), more);
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class RepeatedFailures {

  private static final LogThrottle THROTTLE = LogThrottle.standard();

  private RepeatedFailures() {}

  /**
   * Counts one failure of a kind; see {@link LogThrottle#admit}.
   *
   * @param log the logger that writes the line
   * @param kind a short fixed description of the failure, never request data
   * @param target what failed (an endpoint, an issuer), or {@code null}
   * @return {@code null} to leave this one out, else a suffix for the line (often empty)
   */
  public static @Nullable String admit(Logger log, String kind, @Nullable Object target) {
    return THROTTLE.admit(log.getName(), kind, target == null ? null : target.toString());
  }

  /** Logs, each on its logger, the failures counted but not yet reported; for shutdown. */
  public static void flush() {
    for (LogThrottle.Summary summary : THROTTLE.drain()) {
      LoggerFactory.getLogger(summary.logger()).warn("{}", summary.message());
    }
  }
}
