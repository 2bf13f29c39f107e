package dev.oidcgate.oidc.cluster;

import static dev.oidcgate.oidc.cluster.TwoNodes.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import dev.oidcgate.oidc.testsupport.TestBrowser;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A back-channel logout whose logout record cannot be written (Redis refuses the write) answers
 * 503, and the IdP's retry of the same token, once Redis takes writes again, ends the session: the
 * failed attempt did not use up the token's {@code jti}.
 */
@Timeout(90)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class BackchannelLogoutRetryTest {

  private RedisServer redis;
  private TestAuthServer op;
  private FilterServers apps;
  private TwoNodes nodes;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.startNew();
    op.idTokenTweak = b -> b.claim("sid", "op-session-1");
    nodes = new TwoNodes(apps, op, redis, "cookie", Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    apps.close(); // the nodes before the Redis they use
    redis.close();
  }

  @Test
  void aRetryAfterTheLogoutRecordFailedToBeWrittenEndsTheSession() throws Exception {
    TestBrowser browser = nodes.signIn();
    String token = nodes.logoutToken(c -> c.claim("sid", "op-session-1"));
    // Redis now takes writes to jti records only: the logout record's write fails, as a timeout
    // between the two writes would make it.
    assertThat(redis.command("ACL SETUSER default resetkeys %R~* %W~*:jti:*")).isEqualTo("+OK");

    assertThat(nodes.postLogoutToken(nodes.a, token).statusCode()).isEqualTo(503);

    assertThat(redis.command("ACL SETUSER default resetkeys ~*")).isEqualTo("+OK");
    assertThat(nodes.postLogoutToken(nodes.b, token).statusCode()).isEqualTo(200);
    assertThat(status(browser, nodes.a)).isEqualTo(302);
    assertThat(status(browser, nodes.b)).isEqualTo(302);
    assertThat(nodes.postLogoutToken(nodes.a, token).statusCode()).isEqualTo(400);
  }
}
