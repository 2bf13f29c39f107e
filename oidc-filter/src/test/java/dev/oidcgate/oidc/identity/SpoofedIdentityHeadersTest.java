package dev.oidcgate.oidc.identity;

import static dev.oidcgate.oidc.testsupport.FilterServer.seen;
import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import dev.oidcgate.oidc.testsupport.TestIdp;
import dev.oidcgate.oidc.testsupport.TestIdpExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Headers a client sends to pass itself off as someone, in the spellings the apps behind us read,
 * never reach the app: the filter in a real Jetty, requests over real HTTP (raw where the JDK
 * client would refuse to send them).
 */
@Timeout(60)
@ExtendWith({TestAuthServerExtension.class, TestIdpExtension.class, FilterServerExtension.class})
class SpoofedIdentityHeadersTest {

  private TestIdp idp;
  private FilterServers apps;
  private FilterServer app;

  private Map<String, String> bearerParams() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("clientId", TestIdp.CLIENT_ID);
    p.put("clientSecret", TestIdp.CLIENT_SECRET);
    p.put("upstreamClaimHeaders", "X-Authenticated-User=sub");
    return p;
  }

  @Test
  void underscoreSpellingOfTheFiltersOwnHeaderNeverReachesTheApp() throws Exception {
    app = apps.start(bearerParams());
    String token = idp.rs256(c -> c.subject("alice"));

    Map<?, ?> headers =
        headers(raw("/resource", "Authorization: Bearer " + token, "X_Authenticated_User: admin"));

    assertThat(headers.get("x-authenticated-user")).isEqualTo(List.of("alice"));
    assertThat(headers.keySet()).noneMatch(n -> n.toString().contains("_"));
  }

  @Test
  void identityHeadersThatAppsCommonlyTrustAreRemovedByDefault() throws Exception {
    app = apps.start(bearerParams());
    String token = idp.rs256(c -> c.subject("alice"));

    Map<?, ?> headers =
        headers(
            raw(
                "/resource",
                "Authorization: Bearer " + token,
                "X-Forwarded-User: admin",
                "Remote-User: admin",
                "X-Remote-User: admin",
                "X-Auth-Request-Email: admin@evil.example",
                "X_Auth_Request_Groups: admins",
                "OIDC_CLAIM_email: admin@evil.example",
                "OIDC-Claim-sub: admin",
                "X-Oidc-Roles: admin",
                "X-Userinfo: e30",
                "X-Request-Id: kept"));

    assertThat(headers.keySet())
        .map(Object::toString)
        .containsExactlyInAnyOrder(
            "host", "connection", "authorization", "x-authenticated-user", "x-request-id");
    assertThat(headers.get("x-authenticated-user")).isEqualTo(List.of("alice"));
  }

  @Test
  void theListOfStrippedHeadersIsConfigurable() throws Exception {
    Map<String, String> p = bearerParams();
    p.put("strippedHeaders", "X-Tenant, X-Internal-*");
    app = apps.start(p);
    String token = idp.rs256(c -> c.subject("alice"));

    Map<?, ?> headers =
        headers(
            raw(
                "/resource",
                "Authorization: Bearer " + token,
                "X-Tenant: other",
                "X_Internal_Flag: 1",
                "Remote-User: someone"));

    assertThat(headers.keySet()).map(Object::toString).doesNotContain("x-tenant");
    assertThat(headers.keySet()).map(Object::toString).noneMatch(n -> n.contains("internal"));
    assertThat(headers.get("remote-user")).isEqualTo(List.of("someone"));
  }

  @Test
  void aConnectionHeaderCannotMakeAProxyDropAuthorizationOrTheFiltersHeaders() throws Exception {
    app = apps.start(bearerParams());
    String token = idp.rs256(c -> c.subject("alice"));

    Map<?, ?> headers =
        headers(
            raw(
                "/resource",
                "Authorization: Bearer " + token,
                "Connection: keep-alive, X-Authenticated-User, Authorization, X-Trace"));

    List<?> connection = (List<?>) headers.get("connection");
    assertThat(String.join(",", connection.stream().map(Object::toString).toList()).toLowerCase())
        .doesNotContain("authorization")
        .doesNotContain("x-authenticated-user")
        .contains("x-trace");
    assertThat(headers.get("authorization")).isEqualTo(List.of("Bearer " + token));
  }

  @Test
  void withUpstreamAccessTokenHeaderNoneNoTokenGoesOnForABearerCaller() throws Exception {
    Map<String, String> p = bearerParams();
    p.put("upstreamAccessTokenHeader", "none");
    app = apps.start(p);
    String token = idp.rs256(c -> c.subject("alice"));

    HttpResponse<String> r = app.getWithToken(token);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(headers(r).containsKey("authorization")).isFalse();
    assertThat(seen(r).get("principal")).isEqualTo("alice");
  }

  @Test
  void aSessionCallersOwnAuthorizationHeaderNeverReachesTheApp(TestAuthServer op) throws Exception {
    Map<String, String> p = op.filterParams();
    p.put("upstreamAccessTokenHeader", "X-Access-Token");
    app = apps.start(p);
    TestBrowser browser = new TestBrowser();
    signIn(browser, app.uri("/resource"));

    HttpResponse<String> r =
        browser.get(app.uri("/resource"), "Authorization", "Basic YWRtaW46YWRtaW4=");

    assertThat(r.statusCode()).isEqualTo(200);
    Map<?, ?> headers = headers(r);
    assertThat(headers.containsKey("authorization")).isFalse();
    assertThat(headers.get("x-access-token").toString()).startsWith("[ey");
  }

  private static void signIn(TestBrowser browser, URI protectedUrl) throws Exception {
    HttpResponse<String> r = browser.get(protectedUrl);
    for (int hops = 0; TestBrowser.isRedirect(r) && hops < 5; hops++) {
      r = browser.get(location(r));
    }
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private static Map<?, ?> headers(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return (Map<?, ?>) seen(r).get("headers");
  }

  private static Map<?, ?> headers(String rawResponse) throws Exception {
    assertThat(rawResponse).startsWith("HTTP/1.1 200");
    int split = rawResponse.indexOf("\r\n\r\n");
    String body = rawResponse.substring(split + 4);
    if (rawResponse.substring(0, split).toLowerCase().contains("transfer-encoding: chunked")) {
      body = dechunk(body);
    }
    return (Map<?, ?>) JSONObjectUtils.parse(body).get("headers");
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  /** One request written to the socket as it stands, so any header spelling gets through. */
  private String raw(String path, String... headerLines) throws IOException {
    URI uri = app.uri(path);
    StringBuilder request = new StringBuilder("GET " + uri.getRawPath() + " HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
