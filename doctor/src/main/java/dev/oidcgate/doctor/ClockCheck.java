package dev.oidcgate.doctor;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.jspecify.annotations.Nullable;

/**
 * The "clock" check: how far this machine's clock is from the IdP's. Read from the discovery
 * answer's Date header; when there is none, the line waits for a token's iat from the client check
 * ({@link #fromAccessToken}), and {@link #unknown} warns if neither came. Stateful for that wait,
 * so one instance per run.
 */
final class ClockCheck {

  /** Beyond this the clocks are worth synchronising. */
  private static final Duration CLOCK_WARN = Duration.ofSeconds(10);

  /** The filter's default clockSkew: beyond it fresh tokens are refused. */
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private final Report report;

  /** True when the Date header told nothing: the clock is read from a token's iat instead. */
  private boolean pending;

  ClockCheck(Report report) {
    this.report = report;
  }

  void fromDateHeader(HTTPResponse discovery, Instant sent, Instant received) {
    String date = discovery.getHeaderValue("Date");
    Instant idp = null;
    if (date != null) {
      try {
        idp = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        // as if there were none
      }
    }
    if (idp == null) {
      pending = true;
      return;
    }
    compare("its Date header", idp, sent, received);
  }

  /** Settles a pending clock line from the iat of a token the IdP just issued, if it has one. */
  void fromAccessToken(AccessTokenResponse answer, Instant sent, Instant received) {
    if (!pending) {
      return;
    }
    Instant iat = issuedAt(answer.getTokens().getAccessToken().getValue());
    if (iat != null) {
      pending = false;
      compare("the iat of its access token", iat, sent, received);
    }
  }

  /** The clock line when the Date header told nothing and no token's iat did either. */
  void unknown() {
    if (pending) {
      pending = false;
      report.warn(
          "clock",
          "the IdP sends no Date header and gave no token with iat; the difference is unknown",
          "give --client-id and --client-secret of a client allowed the client credentials grant,"
              + " or keep this machine's clock in sync (NTP); tokens are checked with"
              + " clockSkew=60s");
    }
  }

  /**
   * @param idp the IdP's time in whole seconds, read between {@code sent} and {@code received}
   */
  private void compare(String source, Instant idp, Instant sent, Instant received) {
    // Date has whole seconds: the IdP's clock was in [idp, idp + 1s) while we waited.
    Instant mid = sent.plus(Duration.between(sent, received).dividedBy(2));
    Duration diff = Duration.between(idp.plusMillis(500), mid);
    long seconds = Math.abs(diff.toSeconds());
    String text =
        seconds == 0
            ? "this machine and the IdP agree within a second"
            : "this machine is "
                + seconds
                + " s "
                + (diff.isNegative() ? "behind" : "ahead of")
                + " the IdP";
    text = text + " (from " + source + ")";
    Duration abs = diff.abs();
    if (abs.compareTo(CLOCK_WARN) <= 0) {
      report.pass("clock", text);
    } else if (abs.compareTo(CLOCK_SKEW) <= 0) {
      report.warn("clock", text, "synchronise the clocks (NTP: timedatectl set-ntp true)");
    } else {
      report.fail(
          "clock",
          text + ", more than clockSkew (60s): fresh tokens look expired or not yet valid",
          "synchronise the clocks (NTP: timedatectl set-ntp true)");
    }
  }

  /** The iat of a JWT access token; null for an opaque one or one without iat. */
  private static @Nullable Instant issuedAt(String accessToken) {
    try {
      Date iat = JWTParser.parse(accessToken).getJWTClaimsSet().getIssueTime();
      return iat == null ? null : iat.toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }
}
