package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.session.OidcSession;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which sessions logout has ended, as every node sees it (through {@link SharedState}): one session
 * (RP-initiated logout, by session id), an IdP session ({@code sid} from a back-channel logout
 * token), or every session a subject made before a time (a logout token with {@code sub} only).
 * Records live as long as the longest session can, then expire. Thread-safe.
 */
public final class LogoutRecords {

  private static final String ENDED = "1";

  private final SharedState state;
  private final Keys keys;
  private final Duration lifetime;

  /**
   * @param lifetime how long a record lives: {@code sessionMaxLifetime}, after which every session
   *     it could end has ended anyway
   */
  public LogoutRecords(SharedState state, Keys keys, Duration lifetime) {
    this.state = state;
    this.keys = keys;
    this.lifetime = lifetime;
  }

  /** Records that this one session ended. */
  public void endSession(OidcSession session) throws SessionStoreException {
    state.put(keys.endedSession(session.id()), ENDED, lifetime);
  }

  /**
   * Records that the IdP ended its session {@code sid}: every session with it ends. When the token
   * also names the subject, that subject's sessions whose ID token carried no {@code sid} (so
   * cannot be matched by it) and that began at or before {@code before} end as well.
   */
  public void endSid(String issuer, String sid, Optional<String> subject, Instant before)
      throws SessionStoreException {
    state.put(keys.endedSid(issuer, sid), ENDED, lifetime);
    if (subject.isPresent()) {
      state.put(
          keys.endedSubjectWithoutSid(issuer, subject.get()),
          Long.toString(before.toEpochMilli()),
          lifetime);
    }
  }

  /** Records that every session of {@code subject} that began at or before {@code before} ends. */
  public void endSubject(String issuer, String subject, Instant before)
      throws SessionStoreException {
    state.put(keys.endedSubject(issuer, subject), Long.toString(before.toEpochMilli()), lifetime);
  }

  /**
   * Whether a record ends this session.
   *
   * @throws SessionStoreException when the records cannot be read: the caller answers 503 rather
   *     than accept a session that may have been logged out
   */
  public boolean isEnded(OidcSession session) throws SessionStoreException {
    List<String> lookups = new ArrayList<>(3);
    lookups.add(keys.endedSession(session.id()));
    lookups.add(keys.endedSubject(session.issuer(), session.subject()));
    Optional<String> sid = session.sidValue();
    lookups.add(
        sid.isPresent()
            ? keys.endedSid(session.issuer(), sid.get())
            : keys.endedSubjectWithoutSid(session.issuer(), session.subject()));
    List<Optional<String>> found = state.getAll(lookups);
    if (found.get(0).isPresent() || endedBefore(session, found.get(1))) {
      return true;
    }
    return sid.isPresent() ? found.get(2).isPresent() : endedBefore(session, found.get(2));
  }

  private static boolean endedBefore(OidcSession session, Optional<String> before) {
    return before.map(b -> !session.createdAt().isAfter(epochMillis(b))).orElse(false);
  }

  private static Instant epochMillis(String value) {
    try {
      return Instant.ofEpochMilli(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return Instant.MAX; // not ours: err on the side of ending the session
    }
  }
}
