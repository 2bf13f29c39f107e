package dev.oidcgate.samples.demo;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.doctor.Doctor;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * oidc-gate-doctor against the demo's provider (mock-oauth2-server): every check passes, and the
 * OIDC_* variables it prints, given to the sample WAR (the demo's second app), sign a user in.
 */
@Timeout(180)
class DoctorDemoTest {

  @Test
  void theDoctorPassesTheDemosProviderAndItsPrintedEnvironmentSignsIn() throws Exception {
    Path war = Path.of(System.getProperty("demo.war"));
    try (Demo first = Demo.start(0, 0, war, Map.of())) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      String appUrl = "http://127.0.0.1:" + port;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int status =
          Doctor.run(
              new String[] {
                "--issuer",
                first.issuer(),
                "--client-id",
                Demo.DEMO_CLIENT_ID,
                "--client-secret",
                Demo.DEMO_CLIENT_SECRET,
                "--app-url",
                appUrl,
                "--show-secret"
              },
              new PrintStream(bytes, true, StandardCharsets.UTF_8),
              name -> null);
      String output = bytes.toString(StandardCharsets.UTF_8);
      System.out.println(output);

      assertThat(status).as(output).isEqualTo(0);
      List<String> checks = output.lines().filter(l -> l.matches("  [A-Z]{4}  .*")).toList();
      assertThat(checks)
          .as(output)
          .allMatch(l -> l.startsWith("  PASS  ") || l.startsWith("  INFO  "))
          .anyMatch(l -> l.startsWith("  PASS  issuer: "))
          .anyMatch(l -> l.startsWith("  PASS  keys: "))
          .anyMatch(l -> l.startsWith("  PASS  client authentication: "));
      assertThat(output)
          .contains(
              "register redirect_uri "
                  + appUrl
                  + "/oidc-route/callback and post-logout redirect"
                  + " URI "
                  + appUrl
                  + "/");

      Map<String, String> env = new LinkedHashMap<>();
      output
          .lines()
          .filter(l -> l.startsWith("OIDC_"))
          .forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
      assertThat(env)
          .containsEntry("OIDC_ISSUER", first.issuer())
          .containsEntry("OIDC_CLIENT_ID", Demo.DEMO_CLIENT_ID)
          .containsEntry("OIDC_CLIENT_SECRET", Demo.DEMO_CLIENT_SECRET)
          .containsEntry("OIDC_EXTERNAL_URL", appUrl);

      try (Demo second = Demo.start(port, 0, war, env)) {
        assertThat(second.issuer()).isEqualTo(first.issuer());
        TestBrowser browser = new TestBrowser();
        URI start = URI.create(appUrl + "/oidc-route/get?doctor=yes");
        HttpResponse<String> first302 = browser.get(start);
        assertThat(first302.statusCode()).isEqualTo(302);
        URI authorize = location(first302);
        assertThat(authorize.toString())
            .startsWith(first.issuer() + "/authorize")
            .contains(
                "redirect_uri="
                    + java.net.URLEncoder.encode(
                        appUrl + "/oidc-route/callback", StandardCharsets.UTF_8));
        HttpResponse<String> signedIn = browser.postForm(authorize, "username=doctor&claims=");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        HttpResponse<String> back = browser.get(location(signedIn));
        HttpResponse<String> echo = browser.get(location(back));
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body())
            .contains("\"doctor\": \"yes\"")
            .contains("\"X-Authenticated-User\": \"doctor\"");
      }
    }
  }
}
