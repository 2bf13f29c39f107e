package dev.oidcgate.samples.tomcat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * What the Chromium tests sign in to: the sample WAR on a real Tomcat, with mock-oauth2-server (its
 * interactive login page) as the provider and an {@link EchoUpstream} behind the WAR's proxy route.
 * Started once per test class; closing stops all three, Tomcat first.
 */
@SuppressWarnings("try") // close() passes on what closing the three throws, as Teardown does
final class MockIdpSampleWar implements AutoCloseable {

  final MockOAuth2Server idp;
  final EchoUpstream upstream;
  final TomcatProcess tomcat;

  private MockIdpSampleWar(MockOAuth2Server idp, EchoUpstream upstream, TomcatProcess tomcat) {
    this.idp = idp;
    this.upstream = upstream;
    this.tomcat = tomcat;
  }

  /**
   * @param catalinaBase the test's own Tomcat base directory name
   * @param sessionSecret the test's {@code OIDC_SESSION_SECRET}
   * @param moreEnv further settings of the WAR (e.g. {@code OIDC_PRESERVE_POST})
   */
  static MockIdpSampleWar start(
      String catalinaBase, String sessionSecret, Map<String, String> moreEnv) throws Exception {
    MockOAuth2Server idp =
        new MockOAuth2Server(
            OAuth2Config.Companion.fromJson(
                "{\"interactiveLogin\":true,\"httpServer\":\"NettyWrapper\"}"));
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    EchoUpstream upstream = new EchoUpstream();
    TomcatProcess tomcat = TomcatProcess.forSampleWar(catalinaBase);
    MockIdpSampleWar app = new MockIdpSampleWar(idp, upstream, tomcat);
    Map<String, String> env = new HashMap<>();
    env.put("OIDC_ISSUER", app.issuer());
    env.put("OIDC_CLIENT_ID", "sample-webapp");
    env.put("OIDC_CLIENT_SECRET", "any-secret-the-mock-accepts");
    env.put("OIDC_SESSION_SECRET", sessionSecret);
    env.put("UPSTREAM_URL", upstream.url());
    env.putAll(moreEnv);
    tomcat.start(env);
    tomcat.awaitStatus("/app/api/get", 401, Duration.ofSeconds(60));
    return app;
  }

  /** The provider's issuer, as the WAR is configured with it (no trailing slash). */
  String issuer() {
    return idp.issuerUrl("default").toString().replaceAll("/$", "");
  }

  @Override
  public void close() throws Exception {
    Teardown.closeAll(tomcat, upstream, idp::shutdown);
  }
}
