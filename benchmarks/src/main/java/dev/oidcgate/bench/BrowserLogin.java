package dev.oidcgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs a browser in at {@code /session} the way a person would, so the cookie-session benchmark
 * carries a cookie the filter itself issued: the redirect to the IdP, then the callback with a code
 * that {@link BenchIdp}'s token endpoint exchanges.
 */
final class BrowserLogin {

  private BrowserLogin() {}

  /** The {@code Cookie} header value of a logged-in browser. */
  static String sessionCookie(BenchIdp idp, int port) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    Map<String, String> jar = new LinkedHashMap<>();
    HttpResponse<String> start =
        send(client, URI.create("http://127.0.0.1:" + port + "/session/hello"), jar);
    URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
    Map<String, String> query = query(authorize.getRawQuery());
    idp.expectNonce(query.get("nonce"));
    URI callback =
        URI.create(query.get("redirect_uri") + "?code=bench-code&state=" + query.get("state"));
    HttpResponse<String> done = send(client, callback, jar);
    if (done.statusCode() != 302) {
      throw new IOException("login failed: " + done.statusCode() + " " + done.body());
    }
    StringBuilder cookie = new StringBuilder();
    jar.forEach(
        (name, value) -> {
          if (!value.isEmpty()) {
            cookie.append(cookie.length() == 0 ? "" : "; ").append(name).append('=').append(value);
          }
        });
    return cookie.toString();
  }

  private static HttpResponse<String> send(HttpClient client, URI uri, Map<String, String> jar)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Accept", "text/html")
            .header("Sec-Fetch-Mode", "navigate");
    if (!jar.isEmpty()) {
      StringBuilder cookie = new StringBuilder();
      jar.forEach(
          (n, v) ->
              cookie.append(cookie.length() == 0 ? "" : "; ").append(n).append('=').append(v));
      request.header("Cookie", cookie.toString());
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    for (String set : response.headers().allValues("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      jar.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return response;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
