package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.config.CookieHostPrefix;
import dev.oidcgate.oidc.config.CookieSecure;
import dev.oidcgate.oidc.config.CookieSettings;
import dev.oidcgate.oidc.config.SameSite;
import dev.oidcgate.oidc.logging.RepeatedFailures;
import dev.oidcgate.oidc.session.ContainerSession;
import dev.oidcgate.oidc.session.SessionCookies;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SessionCookies} over one servlet request and response. Cookies are written as {@code
 * Set-Cookie} headers built here, so every attribute is under our control: {@code HttpOnly} unless
 * configured off, {@code Secure} as configured ({@code auto}: when the request is HTTPS), {@code
 * SameSite} as configured. Where {@code sessionCookieHostPrefix} asks for it, every name gets the
 * {@code __Host-} prefix on the wire and only so-named cookies are read: callers use the plain
 * names either way. What this request sets is visible to later reads in the same request.
 */
public final class ServletSessionCookies implements SessionCookies {

  private static final Logger LOG = LoggerFactory.getLogger(ServletSessionCookies.class);

  /**
   * The prefix that browsers accept only on a Secure, host-only cookie with Path=/ (RFC 6265bis).
   */
  static final String HOST_PREFIX = "__Host-";

  /**
   * The cookie attributes, from the configuration.
   *
   * @param domain null for a host-only cookie
   */
  public record Settings(
      String path,
      @Nullable String domain,
      SameSite sameSite,
      CookieSecure secure,
      boolean httpOnly,
      CookieHostPrefix hostPrefix,
      boolean publicHttps) {

    /**
     * The configured attributes; the path defaults to the context path ({@code /} when the {@code
     * __Host-} prefix is always used).
     *
     * @param publicHttps whether browsers reach the app over HTTPS whatever the container sees
     *     ({@link FilterPaths#isPublicHttps()})
     */
    public static Settings of(CookieSettings cookies, String contextPath, boolean publicHttps) {
      String defaultPath = contextPath.isEmpty() ? "/" : contextPath;
      return new Settings(
          cookies.hostPrefix() == CookieHostPrefix.ALWAYS
              ? "/"
              : cookies.path().orElse(defaultPath),
          cookies.domain().orElse(null),
          cookies.sameSite(),
          cookies.secure(),
          cookies.httpOnly(),
          cookies.hostPrefix(),
          publicHttps);
    }

    /** Whether the cookies set in answer to a request (HTTPS or not) are named {@code __Host-}. */
    boolean hostPrefixed(boolean httpsRequest) {
      return switch (hostPrefix) {
        case ALWAYS -> true;
        case NEVER -> false;
        case AUTO -> domain == null && path.equals("/") && secure.secureFor(httpsRequest);
      };
    }
  }

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final Settings settings;
  private final String prefix;
  private final boolean secure;
  private final Map<String, String> current = new LinkedHashMap<>();
  private final Map<String, java.util.List<String>> sent = new LinkedHashMap<>();

  public ServletSessionCookies(
      HttpServletRequest request, HttpServletResponse response, Settings settings) {
    this.request = request;
    this.response = response;
    this.settings = settings;
    boolean https = request.isSecure() || settings.publicHttps();
    this.prefix = settings.hostPrefixed(https) ? HOST_PREFIX : "";
    this.secure = !prefix.isEmpty() || settings.secure().secureFor(https);
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        String name = plainName(c.getName());
        if (name != null) {
          current.putIfAbsent(name, c.getValue());
          sent.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(c.getValue());
        }
      }
    }
  }

  /**
   * The name callers know a cookie by, or null for one to ignore: with the prefix in use, a cookie
   * without it may come from a sibling subdomain; without the prefix in use, a prefixed one is not
   * ours to read.
   */
  private @Nullable String plainName(String wireName) {
    if (!prefix.isEmpty()) {
      return wireName.startsWith(prefix) ? wireName.substring(prefix.length()) : null;
    }
    return wireName.startsWith(HOST_PREFIX) ? null : wireName;
  }

  @Override
  public Optional<ContainerSession> containerSession() {
    return Optional.of(new HttpSessionAdapter(request));
  }

  @Override
  public Optional<String> get(String name) {
    String value = current.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  @Override
  public java.util.List<String> getAll(String name) {
    String value = current.get(name);
    if (value == null || value.isEmpty()) {
      return java.util.List.of();
    }
    // Set in this request: only that value counts. Otherwise every value the browser sent.
    java.util.List<String> fromBrowser = sent.getOrDefault(name, java.util.List.of());
    return fromBrowser.contains(value)
        ? java.util.List.copyOf(fromBrowser)
        : java.util.List.of(value);
  }

  @Override
  public Map<String, String> startingWith(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    current.forEach(
        (name, value) -> {
          if (name.startsWith(prefix) && !value.isEmpty()) {
            out.put(name, value);
          }
        });
    return out;
  }

  @Override
  public void set(String name, String value, @Nullable Duration maxAge, Reach reach) {
    current.put(name, value);
    write(name, value, maxAge == null ? -1 : maxAge.toSeconds(), reach);
  }

  @Override
  public void clear(String name) {
    current.put(name, "");
    write(name, "", 0, Reach.CONFIGURED);
  }

  private void write(String name, String value, long maxAgeSeconds, Reach reach) {
    String sameSite = settings.sameSite().text();
    if (reach == Reach.CROSS_SITE_NAVIGATION && settings.sameSite() == SameSite.STRICT) {
      sameSite = "Lax"; // a Strict login cookie would never come back with the IdP's redirect
    } else if (reach == Reach.CROSS_SITE_POST) {
      if (secure) {
        sameSite = "None";
      } else {
        String more = RepeatedFailures.admit(LOG, "form_post without HTTPS", null);
        if (more != null) {
          LOG.warn(
              "form_post needs HTTPS: a cross-site POST carries no SameSite={} cookie{}",
              sameSite,
              more);
        }
      }
    }
    StringBuilder header = new StringBuilder(prefix).append(name).append('=').append(value);
    header.append("; Path=").append(prefix.isEmpty() ? settings.path() : "/");
    if (settings.domain() != null && prefix.isEmpty()) {
      header.append("; Domain=").append(settings.domain());
    }
    if (maxAgeSeconds >= 0) {
      header.append("; Max-Age=").append(maxAgeSeconds);
      // Expires as well, as containers write it: clients that only know Max-Age from RFC 2109 would
      // otherwise send the cookie back in the old quoted $Version form.
      header
          .append("; Expires=")
          .append(
              java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                  java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                      .plusSeconds(maxAgeSeconds == 0 ? -86400 : maxAgeSeconds)));
    }
    if (settings.httpOnly()) {
      header.append("; HttpOnly");
    }
    if (secure) {
      header.append("; Secure");
    }
    header.append("; SameSite=").append(sameSite);
    response.addHeader("Set-Cookie", header.toString());
  }
}
