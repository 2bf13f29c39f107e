package dev.oidcgate.oidc.login;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.oidcgate.oidc.session.SessionCookies;
import dev.oidcgate.oidc.session.SessionCrypto;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Logins in flight, each in its own sealed cookie named after its state, so two tabs can log in at
 * once and each finishes. The cookie binds the login to the browser that started it; a used state
 * is remembered until it would have expired anyway, so a replayed callback is refused even with a
 * copy of the cookie; at most {@code maxInFlight} logins per browser are kept (the oldest goes).
 * The logins of an issuer named in {@code issuerClients} have cookies of their own ({@code
 * oidc_login_<name>.<hash>}), so a login started at one issuer neither clears nor counts against
 * the logins in flight at another. Thread-safe.
 */
public final class LoginTransactions {

  /** The name of every login cookie starts with this. */
  public static final String COOKIE_PREFIX = "oidc_login_";

  private static final String PURPOSE = "login";

  private final String prefix;
  private final SessionCrypto crypto;
  private final Clock clock;
  private final Duration timeout;
  private final int maxInFlight;
  private final SessionCookies.Reach reach;
  private final Cache<String, Boolean> usedStates;

  /**
   * @param crossSite whether the callback arrives as a cross-site POST ({@code form_post})
   */
  public LoginTransactions(
      SessionCrypto crypto, Clock clock, Duration timeout, int maxInFlight, boolean crossSite) {
    this("", crypto, clock, timeout, maxInFlight, crossSite);
  }

  /**
   * @param issuerName the issuer's name in {@code issuerClients}, or empty for none
   * @param crossSite whether the callback arrives as a cross-site POST ({@code form_post})
   */
  public LoginTransactions(
      String issuerName,
      SessionCrypto crypto,
      Clock clock,
      Duration timeout,
      int maxInFlight,
      boolean crossSite) {
    this.prefix = issuerName.isEmpty() ? COOKIE_PREFIX : COOKIE_PREFIX + issuerName + ".";
    this.crypto = crypto;
    this.clock = clock;
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
    // The callback is a navigation from the IdP's site (query), or a POST from it (form_post).
    this.reach =
        crossSite
            ? SessionCookies.Reach.CROSS_SITE_POST
            : SessionCookies.Reach.CROSS_SITE_NAVIGATION;
    this.usedStates =
        Caffeine.newBuilder().expireAfterWrite(timeout).maximumSize(1_000_000).build();
  }

  public void begin(LoginTransaction login, SessionCookies cookies) {
    List<Map.Entry<String, LoginTransaction>> open = new ArrayList<>();
    for (Map.Entry<String, String> c : cookies.startingWith(prefix).entrySet()) {
      if (c.getKey().indexOf('.', prefix.length()) >= 0) {
        continue; // another issuer's login (a hash has no '.')
      }
      Optional<LoginTransaction> t = open(c.getValue());
      if (t.isEmpty() || isExpired(t.get())) {
        cookies.clear(c.getKey());
      } else {
        open.add(Map.entry(c.getKey(), t.get()));
      }
    }
    open.sort(Comparator.comparing(e -> e.getValue().createdAt()));
    for (int i = 0; i <= open.size() - maxInFlight; i++) {
      cookies.clear(open.get(i).getKey());
    }
    cookies.set(
        cookieName(prefix, login.state()), crypto.seal(PURPOSE, login.toJson()), timeout, reach);
  }

  /**
   * Takes the login this browser started with {@code state}, once.
   *
   * @return the login, or empty when this browser has none for that state, it expired, or it was
   *     used
   */
  public Optional<LoginTransaction> finish(String state, SessionCookies cookies) {
    String name = cookieName(prefix, state);
    Optional<String> sealed = cookies.get(name);
    if (sealed.isEmpty()) {
      return Optional.empty();
    }
    cookies.clear(name);
    Optional<LoginTransaction> login = open(sealed.get());
    if (login.isEmpty()
        || isExpired(login.get())
        || !MessageDigest.isEqual(
            login.get().state().getBytes(StandardCharsets.UTF_8),
            state.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    if (usedStates.asMap().putIfAbsent(name, Boolean.TRUE) != null) {
      return Optional.empty(); // replayed
    }
    return login;
  }

  /**
   * Whether this browser holds a login for {@code state} that these transactions sealed (so made
   * for this issuer and client), without taking it: with several issuers, it tells which one the
   * callback belongs to.
   */
  public boolean holds(String state, SessionCookies cookies) {
    Optional<String> sealed = cookies.get(cookieName(prefix, state));
    return sealed.isPresent() && open(sealed.get()).isPresent();
  }

  private boolean isExpired(LoginTransaction t) {
    return clock.instant().isAfter(t.createdAt().plus(timeout));
  }

  private Optional<LoginTransaction> open(String sealed) {
    Optional<String> json = crypto.open(PURPOSE, sealed);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LoginTransaction.fromJson(json.get()));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  static String cookieName(String state) {
    return cookieName(COOKIE_PREFIX, state);
  }

  private static String cookieName(String prefix, String state) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
      return prefix
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
