package dev.oidcgate.oidc.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store: the whole session, compressed and sealed by {@link SessionCrypto}, in the
 * browser's cookies. Needs no shared state, so any node can serve any request.
 *
 * <p>A large session is split into numbered chunks ({@code name}, {@code name.1}, ...), at most
 * {@code maxChunks}; the chunks are joined in order before opening, so a missing, truncated or
 * reordered chunk fails authentication and yields no session. Logged-out session ids are remembered
 * until their absolute timeout so that a replayed cookie is refused: that memory is per node, so
 * with several nodes and cookie sessions a replay on another node is refused only once the IdP
 * tokens in it are revoked (logout revokes them) or the session times out. Thread-safe.
 */
public final class CookieSessionStore implements SessionStore {

  private static final Logger LOG = LoggerFactory.getLogger(CookieSessionStore.class);
  static final String PURPOSE = "session";

  /**
   * Keeps each cookie, with its name and attributes, well under the 4096 bytes browsers guarantee.
   */
  static final int CHUNK_SIZE = 3800;

  private final String cookieName;
  private final SessionCrypto crypto;
  private final int maxChunks;
  private final Duration maxLifetime;
  private final Cache<String, Boolean> endedSessions;

  public CookieSessionStore(
      String cookieName, SessionCrypto crypto, int maxChunks, Duration maxLifetime) {
    this.cookieName = cookieName;
    this.crypto = crypto;
    this.maxChunks = maxChunks;
    this.maxLifetime = maxLifetime;
    this.endedSessions =
        Caffeine.newBuilder().expireAfterWrite(maxLifetime).maximumSize(1_000_000).build();
  }

  @Override
  public Optional<OidcSession> load(SessionCookies cookies) {
    java.util.List<String> firsts = cookies.getAll(cookieName);
    if (firsts.isEmpty()) {
      return Optional.empty();
    }
    if (firsts.size() > 1) {
      // Several cookies of our name (one tossed in for another path or domain): a whole session
      // fits
      // in one of them when it is not chunked, so try each; chunked ones cannot be told apart.
      for (String candidate : firsts) {
        Optional<OidcSession> session = open(candidate);
        if (session.isPresent()) {
          return session;
        }
      }
    }
    StringBuilder sealed = new StringBuilder(firsts.get(0));
    for (int i = 1; i < maxChunks; i++) {
      Optional<String> chunk = cookies.get(cookieName + "." + i);
      if (chunk.isEmpty()) {
        break;
      }
      sealed.append(chunk.get());
    }
    return open(sealed.toString());
  }

  private Optional<OidcSession> open(String sealed) {
    Optional<String> json = crypto.open(PURPOSE, sealed);
    if (json.isEmpty()) {
      LOG.debug("Ignored a session cookie that does not open (tampered, truncated or an old key)");
      return Optional.empty();
    }
    try {
      OidcSession session = OidcSession.fromJson(json.get());
      return endedSessions.getIfPresent(session.id()) != null
          ? Optional.empty()
          : Optional.of(session);
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public void save(OidcSession session, SessionCookies cookies) {
    String sealed = crypto.seal(PURPOSE, session.toJson());
    int chunks = (sealed.length() + CHUNK_SIZE - 1) / CHUNK_SIZE;
    if (chunks > maxChunks) {
      // Better no session than a cookie the browser or the container drops half of.
      String more = RepeatedFailures.admit(LOG, "session too large for its cookies", null);
      if (more != null) {
        LOG.error(
            "A session needs {} bytes, more than sessionCookieMaxChunks={} cookies hold; the login"
                + " is refused. Use sessionStore=memory (or container), or ask the IdP for fewer"
                + " claims{}",
            sealed.length(),
            maxChunks,
            more);
      }
      throw new IllegalStateException("session too large for " + maxChunks + " cookies");
    }
    if (sealed.length() > 6000) {
      String more = RepeatedFailures.admit(LOG, "session cookies near the header limit", null);
      if (more != null) {
        LOG.warn(
            "Session cookies take {} bytes; containers refuse request headers over 8 KB by"
                + " default. Consider sessionStore=memory{}",
            sealed.length(),
            more);
      }
    }
    for (int i = 0; i < chunks; i++) {
      String part =
          sealed.substring(i * CHUNK_SIZE, Math.min(sealed.length(), (i + 1) * CHUNK_SIZE));
      cookies.set(
          i == 0 ? cookieName : cookieName + "." + i,
          part,
          maxLifetime,
          SessionCookies.Reach.CONFIGURED);
    }
    for (int i = Math.max(chunks, 1); i < maxChunks; i++) {
      if (cookies.get(cookieName + "." + i).isPresent()) {
        cookies.clear(cookieName + "." + i);
      }
    }
  }

  @Override
  public void delete(OidcSession session, SessionCookies cookies) {
    endedSessions.put(session.id(), Boolean.TRUE);
    cookies.clear(cookieName);
    for (int i = 1; i < maxChunks; i++) {
      if (cookies.get(cookieName + "." + i).isPresent()) {
        cookies.clear(cookieName + "." + i);
      }
    }
  }
}
