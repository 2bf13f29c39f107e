package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.cluster.PreservedPosts;
import dev.oidcgate.oidc.login.LoginTransactions;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionStoreException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The servlet side of {@code preservePost}: a person's form POST that needs a login is kept ({@link
 * PreservedPosts}) and its id goes into the sealed login cookie; the callback gives the browser a
 * short-lived sealed ticket cookie naming the kept post and the new session; the browser's next
 * request, the GET of the form's URL that the login returns to, is replayed to the app as the
 * original POST, once. The replay happens on the server, so the page the person ends on answers a
 * GET, and reloading it posts nothing again.
 *
 * <p>Only a same-origin form post is kept ({@code Sec-Fetch-Site: same-origin}, else an {@code
 * Origin} equal to the app's): another site must not be able to queue a POST that the victim's next
 * login would send with the new session. The body is never logged. Immutable and thread-safe.
 */
public final class PostPreservation {

  /** The ticket cookie; one of the login cookies, so it is hidden from the app. */
  public static final String TICKET_COOKIE = LoginTransactions.COOKIE_PREFIX + "replay.post";

  /** How long after the callback the browser may come back for the replay. */
  static final Duration TICKET_LIFETIME = Duration.ofMinutes(2);

  private static final String FORM = "application/x-www-form-urlencoded";

  private final PreservedPosts posts;
  private final int maxSize;

  public PostPreservation(PreservedPosts posts, int maxSize) {
    this.posts = posts;
    this.maxSize = maxSize;
  }

  /**
   * Whether the request is a person's form submission, of any content type: a POST the browser
   * navigates with (not a script's), which may be sent to log in rather than answered 401.
   */
  public static boolean isFormNavigation(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return false;
    }
    String accept = request.getHeader("Accept");
    if (accept == null || !accept.contains("text/html")) {
      return false;
    }
    if ("XMLHttpRequest".equalsIgnoreCase(request.getHeader("X-Requested-With"))) {
      return false;
    }
    String mode = request.getHeader("Sec-Fetch-Mode");
    return mode == null || mode.equals("navigate");
  }

  /**
   * Keeps the form's body, when it is a same-origin {@code application/x-www-form-urlencoded} post
   * of at most {@code preservePostMaxSize} bytes whose body was not read yet.
   *
   * @param ownOrigin the origin browsers reach the app at
   * @return the id of the kept post, or empty when it is not kept
   * @throws SessionStoreException when the shared state cannot be reached
   */
  public Optional<String> keep(HttpServletRequest request, String ownOrigin)
      throws IOException, SessionStoreException {
    String type = request.getContentType();
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith(FORM)
        || !isSameOrigin(request, ownOrigin)) {
      return Optional.empty();
    }
    long length = request.getContentLengthLong();
    if (length > maxSize) {
      return Optional.empty();
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(maxSize + 1);
    }
    if (body.length > maxSize || (length >= 0 && body.length != length)) {
      return Optional.empty(); // too large, or already read by someone
    }
    return Optional.of(
        posts.keep(new PreservedPosts.Post(LoginResponses.currentUrl(request), type, body)));
  }

  /** At the callback: the ticket that lets this browser's next request replay the post. */
  public void issueTicket(SessionCookies cookies, String id, String sessionId) {
    cookies.set(
        TICKET_COOKIE,
        posts.ticket(id, sessionId, TICKET_LIFETIME),
        TICKET_LIFETIME,
        SessionCookies.Reach.CROSS_SITE_NAVIGATION);
  }

  /** Whether the browser holds a ticket (the cheap test, before any session is loaded). */
  public static boolean hasTicket(SessionCookies cookies) {
    return cookies.get(TICKET_COOKIE).isPresent();
  }

  /**
   * Redeems this browser's ticket, once: clears it, and returns the request as the kept POST when
   * the ticket was made for {@code sessionId}, the request is a GET of the post's URL, and the post
   * was not taken before (on any node).
   *
   * @param sessionId the id of the session the browser's cookie holds; empty for none
   * @throws SessionStoreException when the shared state cannot be reached
   */
  public Optional<HttpServletRequest> redeem(
      HttpServletRequest request, SessionCookies cookies, Optional<String> sessionId)
      throws SessionStoreException {
    Optional<String> ticket = cookies.get(TICKET_COOKIE);
    if (ticket.isEmpty()) {
      return Optional.empty();
    }
    cookies.clear(TICKET_COOKIE);
    if (sessionId.isEmpty() || !"GET".equals(request.getMethod())) {
      return Optional.empty();
    }
    Optional<String> id = posts.redeem(ticket.get(), sessionId.get());
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Optional<PreservedPosts.Post> post = posts.take(id.get());
    if (post.isEmpty() || !post.get().url().equals(LoginResponses.currentUrl(request))) {
      return Optional.empty();
    }
    return Optional.of(new ReplayedPost(request, post.get()));
  }

  private static boolean isSameOrigin(HttpServletRequest request, String ownOrigin) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null) {
      return site.trim().equalsIgnoreCase("same-origin");
    }
    String origin = request.getHeader("Origin");
    return origin != null && Origins.ofUrl(origin.trim()).equals(Optional.of(ownOrigin));
  }
}
