package dev.oidcgate.samples;

import dev.oidcgate.proxy.UpstreamRequestCustomizer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;

/**
 * Keeps the OIDC filter's own cookies away from the upstream. The proxy passes every request header on,
 * {@code Cookie} included, and the session cookie ({@code oidc_session}, {@code oidc_session.1}, ...)
 * and the login cookies ({@code oidc_login_*}) are credentials for this app: the upstream gets the
 * caller's identity as {@code Authorization: Bearer} and {@code X-Authenticated-User} instead. Any
 * other cookie goes through unchanged. Stateless and thread-safe.
 */
public final class StripOidcCookies implements UpstreamRequestCustomizer {

  @Override
  public void customize(HttpServletRequest clientRequest, ClassicHttpRequest upstreamRequest) {
    Header[] headers = upstreamRequest.getHeaders("Cookie");
    if (headers.length == 0) {
      return;
    }
    List<String> kept = new ArrayList<>();
    boolean dropped = false;
    for (Header header : headers) {
      for (String pair : header.getValue().split(";")) {
        String cookie = pair.trim();
        if (cookie.isEmpty()) {
          continue;
        }
        int eq = cookie.indexOf('=');
        String name = (eq < 0 ? cookie : cookie.substring(0, eq)).trim();
        if (isOidcCookie(name)) {
          dropped = true;
        } else {
          kept.add(cookie);
        }
      }
    }
    if (!dropped) {
      return;
    }
    upstreamRequest.removeHeaders("Cookie");
    if (!kept.isEmpty()) {
      upstreamRequest.addHeader("Cookie", String.join("; ", kept));
    }
  }

  /** The filter's default cookie names: the session (and its chunks) and one-time login transactions. */
  static boolean isOidcCookie(String name) {
    return name.equals("oidc_session") || name.startsWith("oidc_session.") || name.startsWith("oidc_login_");
  }
}
