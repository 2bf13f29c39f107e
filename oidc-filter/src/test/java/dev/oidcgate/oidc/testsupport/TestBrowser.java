package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.testlogs.SecretLedger;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A browser stand-in: its own cookie jar, {@code Accept: text/html}, and redirects followed one hop
 * at a time so tests can look at (and interfere with) each step.
 */
public final class TestBrowser {

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient client =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .sslContext(TestTls.trustingClient())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One request, no redirect followed. */
  public HttpResponse<String> get(URI uri, String... headers)
      throws IOException, InterruptedException {
    return get(uri, Duration.ofSeconds(10), headers);
  }

  /** One request that may take up to {@code timeout}, no redirect followed. */
  public HttpResponse<String> get(URI uri, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .GET()
            .header("Accept", "text/html,application/xhtml+xml");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return recordCookies(client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** A POST with this content type and body, no redirect followed. */
  public HttpResponse<String> post(URI uri, String contentType, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return recordCookies(client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  public HttpResponse<String> postForm(URI uri, String form, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return recordCookies(client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  /**
   * Every cookie value a server sets is a secret the logs must not show (session ids among them).
   */
  private static HttpResponse<String> recordCookies(HttpResponse<String> response) {
    for (String setCookie : response.headers().allValues("Set-Cookie")) {
      try {
        HttpCookie.parse(setCookie).forEach(c -> SecretLedger.record("cookie value", c.getValue()));
      } catch (IllegalArgumentException e) {
        // Not a cookie this jar would keep either.
      }
    }
    return response;
  }

  /** Follows redirects from {@code uri} until a non-redirect answer (at most 10 hops). */
  public HttpResponse<String> navigate(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = get(uri);
    for (int i = 0; i < 10 && isRedirect(r); i++) {
      r = get(r.uri().resolve(r.headers().firstValue("Location").orElseThrow()));
    }
    return r;
  }

  public static boolean isRedirect(HttpResponse<?> r) {
    return r.statusCode() == 302 || r.statusCode() == 303 || r.statusCode() == 301;
  }

  public static URI location(HttpResponse<?> r) {
    return r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
  }

  public List<HttpCookie> cookies() {
    return cookies.getCookieStore().getCookies();
  }

  public String cookie(String name) {
    return cookies().stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  /** Replaces a cookie's value, as a tampering user could. */
  public void setCookie(URI uri, String name, String value) {
    cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .toList()
        .forEach(c -> cookies.getCookieStore().remove(null, c));
    HttpCookie c = new HttpCookie(name, value);
    c.setPath("/app");
    c.setVersion(0);
    cookies.getCookieStore().add(uri, c);
  }

  /**
   * Adds a cookie as another site on the same host could have set it (a sibling subdomain with
   * {@code Domain=} the parent, for instance), leaving the jar's other cookies alone.
   */
  public void plantCookie(URI uri, String name, String value, String path) {
    HttpCookie c = new HttpCookie(name, value);
    c.setPath(path);
    c.setVersion(0);
    cookies.getCookieStore().add(uri, c);
  }

  /** Copies every cookie of {@code other} (a stolen or replayed jar). */
  public void copyCookiesFrom(TestBrowser other, URI uri) {
    for (HttpCookie c : other.cookies()) {
      HttpCookie copy = (HttpCookie) c.clone();
      cookies.getCookieStore().add(uri, copy);
    }
  }
}
