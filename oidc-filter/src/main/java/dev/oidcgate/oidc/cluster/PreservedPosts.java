package dev.oidcgate.oidc.cluster;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.session.SessionCrypto;
import dev.oidcgate.oidc.session.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Form bodies kept while their browser logs in ({@code preservePost}), so that the form is posted
 * after the login instead of being lost. A body is sealed (AES-GCM, with the session secret) before
 * it is stored in the shared state, so Redis never holds it readable, and stored under a random id
 * that only the sealed login cookie of the browser that posted it carries: no other browser can
 * name it. It lives as long as a login may take and is taken once, on any node: the first take
 * records that it was taken (set-if-absent) before it reads and deletes it. Thread-safe.
 */
public final class PreservedPosts {

  /** A kept form POST: where it went, its {@code Content-Type} and its body. */
  public record Post(String url, String contentType, byte[] body) {
    public Post {
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Post p
          && p.url.equals(url)
          && p.contentType.equals(contentType)
          && Arrays.equals(p.body, body);
    }

    @Override
    public int hashCode() {
      return url.hashCode() * 31 + Arrays.hashCode(body);
    }

    /** Never the body: a post may hold anything a person typed. */
    @Override
    public String toString() {
      return "Post[" + body.length + " bytes]";
    }
  }

  private static final String PURPOSE = "preserved-post";
  private static final String TICKET = "preserved-post-ticket";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SharedState state;
  private final SessionCrypto crypto;
  private final Keys keys;
  private final Clock clock;
  private final Duration timeToLive;

  PreservedPosts(
      SharedState state, SessionCrypto crypto, Keys keys, Clock clock, Duration timeToLive) {
    this.state = state;
    this.crypto = crypto;
    this.keys = keys;
    this.clock = clock;
    this.timeToLive = timeToLive;
  }

  /**
   * Keeps a post until it is taken or a login would have expired.
   *
   * @return the random id to take it by
   */
  public String keep(Post post) throws SessionStoreException {
    String id = randomId();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("u", post.url());
    o.put("ct", post.contentType());
    o.put("b", Base64.getEncoder().encodeToString(post.body()));
    state.put(
        keys.preservedPost(id), crypto.seal(PURPOSE, JSONObjectUtils.toJSONString(o)), timeToLive);
    return id;
  }

  /**
   * Takes the post kept as {@code id}: the first call on any node gets it, every other call (and
   * any call after it expired) gets empty.
   */
  public Optional<Post> take(String id) throws SessionStoreException {
    if (!state.putIfAbsent(keys.preservedPostTaken(id), "1", timeToLive)) {
      return Optional.empty();
    }
    String key = keys.preservedPost(id);
    Optional<String> sealed = state.get(key);
    state.remove(key);
    if (sealed.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> json = crypto.open(PURPOSE, sealed.get());
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      Map<String, Object> o = JSONObjectUtils.parse(json.get());
      String url = JSONObjectUtils.getString(o, "u");
      String type = JSONObjectUtils.getString(o, "ct");
      String body = JSONObjectUtils.getString(o, "b");
      if (url == null || type == null || body == null) {
        return Optional.empty();
      }
      return Optional.of(new Post(url, type, Base64.getDecoder().decode(body)));
    } catch (ParseException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * A sealed ticket for the browser that finished the login: it names the kept post and the session
   * the login made, and expires after {@code lifetime}.
   */
  public String ticket(String id, String sessionId, Duration lifetime) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", id);
    o.put("s", Keys.hash(sessionId));
    o.put("exp", clock.instant().plus(lifetime).getEpochSecond());
    return crypto.seal(TICKET, JSONObjectUtils.toJSONString(o));
  }

  /**
   * The id of the kept post a ticket names, when it was sealed here, has not expired and was made
   * for the session {@code sessionId}; else empty.
   */
  public Optional<String> redeem(String ticket, String sessionId) {
    Optional<String> json = crypto.open(TICKET, ticket);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      Map<String, Object> o = JSONObjectUtils.parse(json.get());
      String id = JSONObjectUtils.getString(o, "id");
      String session = JSONObjectUtils.getString(o, "s");
      long exp = JSONObjectUtils.getLong(o, "exp");
      if (id == null
          || session == null
          || clock.instant().getEpochSecond() > exp
          || !MessageDigest.isEqual(
              session.getBytes(StandardCharsets.UTF_8),
              Keys.hash(sessionId).getBytes(StandardCharsets.UTF_8))) {
        return Optional.empty();
      }
      return Optional.of(id);
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  private static String randomId() {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }
}
