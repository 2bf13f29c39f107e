package dev.oidcgate.oidc.cluster;

import static dev.oidcgate.oidc.testsupport.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.testsupport.FilterServer;
import dev.oidcgate.oidc.testsupport.FilterServerExtension;
import dev.oidcgate.oidc.testsupport.FilterServers;
import dev.oidcgate.oidc.testsupport.RedisServer;
import dev.oidcgate.oidc.testsupport.TestAuthServer;
import dev.oidcgate.oidc.testsupport.TestAuthServerExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request with hundreds of {@code oidc_session} cookies, with Redis sessions: the filter looks up
 * only the first four (counted by the real Redis's command statistics) and answers as for a request
 * without a session.
 */
@Timeout(90)
@ExtendWith({TestAuthServerExtension.class, FilterServerExtension.class})
class ManySessionCookiesTest {

  private static final String HTML = "text/html,application/xhtml+xml"; // a browser's page load
  private static final Pattern GET_CALLS = Pattern.compile("cmdstat_get:calls=(\\d+)");

  private RedisServer redis;
  private TestAuthServer op;
  private FilterServers apps;
  private FilterServer app;

  @BeforeEach
  void start() throws Exception {
    redis = apps.closeAfter(RedisServer.startNew());
    Map<String, String> p = op.filterParams();
    p.put("sessionSecret", TwoNodes.SECRET);
    p.put("sessionStore", "redis");
    p.put("redisUri", redis.uri());
    app = apps.start(p);
  }

  @Test
  void threeHundredSessionCookiesCostAtMostFourLookupsAndAnswerAsWithoutASession()
      throws Exception {
    String cookies =
        IntStream.range(0, 300)
            .mapToObj(i -> "oidc_session=" + UUID.randomUUID().toString().replace("-", ""))
            .collect(Collectors.joining("; "));
    assertThat(
            app.get("/resource", "Accept", HTML, "Cookie", "oidc_session=" + "a".repeat(43))
                .statusCode())
        .isEqualTo(302); // connected to Redis before counting
    assertThat(redis.command("CONFIG RESETSTAT")).isEqualTo("+OK");

    HttpResponse<String> r = app.get("/resource", "Accept", HTML, "Cookie", cookies);

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(location(r).toString()).startsWith(op.issuer() + "/authorize");
    assertThat(getCalls()).isEqualTo(4);
  }

  private long getCalls() {
    Matcher m = GET_CALLS.matcher(String.valueOf(redis.command("INFO commandstats")));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
