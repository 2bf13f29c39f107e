package dev.oidcgate.keycloak;

import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser stand-in for the whole round trip: requests to the app go through oidc-filter's {@link
 * TestBrowser} (its cookie jar holds the filter's cookies), requests to Keycloak through a second
 * jar here.
 *
 * <p>Why two: Keycloak 26 sets its login cookies ({@code AUTH_SESSION_ID}, {@code KC_RESTART}, ...)
 * with {@code Secure; SameSite=None} even over plain HTTP. Real browsers keep and send them for
 * {@code http://127.0.0.1} and {@code http://localhost}, which they treat as secure contexts;
 * Java's {@code CookieManager} keeps them but never sends a {@code Secure} cookie over HTTP, so
 * Keycloak would answer "Restart login cookie not found". This jar behaves like a browser on the
 * loopback address. Redirects are followed one hop at a time, as with {@link TestBrowser}.
 */
final class Browser {

  final TestBrowser app = new TestBrowser();
  private final String keycloakOrigin;

  /** Keycloak's cookies by name and path; the test talks to one host, so no domain bookkeeping. */
  private final Map<String, Cookie> keycloakCookies = new LinkedHashMap<>();

  private final HttpClient client =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private record Cookie(String name, String value, String path) {}

  Browser(String keycloakIssuer) {
    URI issuer = URI.create(keycloakIssuer);
    keycloakOrigin = issuer.getScheme() + "://" + issuer.getAuthority();
  }

  HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    if (!isKeycloak(uri)) {
      return app.get(uri);
    }
    return keycloak(
        HttpRequest.newBuilder(uri).GET().header("Accept", "text/html,application/xhtml+xml"), uri);
  }

  HttpResponse<String> postForm(URI uri, String form) throws IOException, InterruptedException {
    if (!isKeycloak(uri)) {
      return app.postForm(uri, form);
    }
    return keycloak(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)),
        uri);
  }

  private boolean isKeycloak(URI uri) {
    return (uri.getScheme() + "://" + uri.getAuthority()).equals(keycloakOrigin);
  }

  private HttpResponse<String> keycloak(HttpRequest.Builder request, URI uri)
      throws IOException, InterruptedException {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String cookies =
        keycloakCookies.values().stream()
            .filter(c -> path.startsWith(c.path()))
            .map(c -> c.name() + "=" + c.value())
            .collect(Collectors.joining("; "));
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookies);
    }
    HttpResponse<String> response =
        client.send(
            request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    response.headers().allValues("Set-Cookie").forEach(this::remember);
    return response;
  }

  private void remember(String setCookie) {
    String[] parts = setCookie.split(";");
    int eq = parts[0].indexOf('=');
    String name = parts[0].substring(0, eq).trim();
    String value = parts[0].substring(eq + 1).trim();
    String path = "/";
    boolean expired = value.isEmpty();
    for (int i = 1; i < parts.length; i++) {
      String attribute = parts[i].trim();
      String lower = attribute.toLowerCase(Locale.ROOT);
      if (lower.startsWith("path=")) {
        path = attribute.substring(5);
      } else if (lower.equals("max-age=0")
          || lower.startsWith("max-age=-")
          || lower.startsWith("expires=thu, 01 jan 1970")
          || lower.startsWith("expires=thu, 01-jan-1970")) {
        expired = true;
      }
    }
    String key = name + "\n" + path;
    if (expired) {
      keycloakCookies.remove(key);
    } else {
      keycloakCookies.put(key, new Cookie(name, value, path));
    }
  }
}
