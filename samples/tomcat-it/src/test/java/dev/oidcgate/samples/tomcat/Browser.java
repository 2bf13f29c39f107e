package dev.oidcgate.samples.tomcat;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A browser stand-in with the same shape as oidc-filter's {@code TestBrowser} ({@code Accept:
 * text/html}, a cookie jar, redirects followed one hop at a time), but sending cookies the way
 * browsers do (RFC 6265: {@code Cookie: a=1; b=2}).
 *
 * <p>Why not {@code TestBrowser} itself: it uses {@link CookieManager} as is, which takes a {@code
 * Set-Cookie} with {@code Max-Age} and no {@code Expires} for an RFC 2965 cookie and sends it back
 * as {@code $Version="1"; name="value"; $Path="/app"}. Jetty strips those quotes; Tomcat 11 hands
 * the value to the app with them, so the filter's sealed cookies would not open on Tomcat although
 * they do in every real browser. Here {@link CookieManager} only parses and stores.
 */
public final class Browser {

  private final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient client =
      HttpClient.newBuilder()
          .cookieHandler(new Rfc6265Cookies(jar))
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One request, no redirect followed. */
  public HttpResponse<String> get(URI uri, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(15))
            .GET()
            .header("Accept", "text/html,application/xhtml+xml");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Follows redirects from {@code uri} until a non-redirect answer (at most 10 hops). */
  public HttpResponse<String> navigate(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = get(uri);
    for (int i = 0; i < 10 && isRedirect(r); i++) {
      r = get(location(r));
    }
    return r;
  }

  public static boolean isRedirect(HttpResponse<?> r) {
    return r.statusCode() == 301 || r.statusCode() == 302 || r.statusCode() == 303;
  }

  public static URI location(HttpResponse<?> r) {
    return r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
  }

  /** The value of the cookie {@code name}, or null. */
  public String cookie(String name) {
    return jar.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  /** Copies every cookie of {@code other} (a stolen or kept copy of the jar). */
  public void copyCookiesFrom(Browser other, URI uri) {
    for (HttpCookie c : other.jar.getCookieStore().getCookies()) {
      jar.getCookieStore().add(uri, (HttpCookie) c.clone());
    }
  }

  /**
   * Stores with {@link CookieManager}; sends {@code name=value} pairs that match host, path and
   * scheme.
   */
  private static final class Rfc6265Cookies extends CookieHandler {
    private final CookieManager jar;

    Rfc6265Cookies(CookieManager jar) {
      this.jar = jar;
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      List<String> pairs =
          jar.getCookieStore().get(uri).stream()
              .filter(c -> pathMatches(path, c.getPath()))
              .filter(c -> !c.getSecure() || "https".equalsIgnoreCase(uri.getScheme()))
              .map(c -> c.getName() + "=" + c.getValue())
              .toList();
      return pairs.isEmpty() ? Map.of() : Map.of("Cookie", List.of(String.join("; ", pairs)));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
      jar.put(uri, responseHeaders);
    }

    private static boolean pathMatches(String requestPath, String cookiePath) {
      if (cookiePath == null || requestPath.equals(cookiePath)) {
        return true;
      }
      return requestPath.startsWith(cookiePath)
          && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
    }
  }
}
