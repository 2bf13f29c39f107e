package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.testlogs.SecretLedger;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.HttpCookie;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * In front of the filter under test: records in the {@link SecretLedger} every credential a request
 * brings (the {@code Authorization} value, each cookie value) and every cookie value the response
 * sets, whoever the client is, so the log leak check knows them all.
 */
final class SecretsSeen implements Filter {

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    for (String authorization : Collections.list(request.getHeaders("Authorization"))) {
      SecretLedger.record("Authorization header", authorization);
      int space = authorization.indexOf(' ');
      SecretLedger.record("credential", authorization.substring(space + 1).trim());
    }
    for (String header : Collections.list(request.getHeaders("Cookie"))) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        SecretLedger.record("cookie value", eq < 0 ? null : pair.substring(eq + 1).trim());
      }
    }
    try {
      chain.doFilter(req, resp);
    } finally {
      for (String setCookie : ((HttpServletResponse) resp).getHeaders("Set-Cookie")) {
        try {
          HttpCookie.parse(setCookie)
              .forEach(c -> SecretLedger.record("cookie value", c.getValue()));
        } catch (IllegalArgumentException e) {
          // Not a cookie a browser would keep.
        }
      }
    }
  }

  /** Records the values of settings that are secrets (clientSecret, sessionSecret, ...). */
  static void recordSecretSettings(Map<String, String> initParams) {
    initParams.forEach(
        (key, value) -> {
          if (key.toLowerCase(Locale.ROOT).contains("secret")) {
            for (String one : value.split(",")) {
              SecretLedger.record("setting " + key, one.trim());
            }
          }
        });
  }
}
