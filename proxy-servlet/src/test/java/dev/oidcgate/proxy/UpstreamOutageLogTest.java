package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.testlogs.SecretLedger;
import dev.oidcgate.testlogs.StderrCapture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upstream that is down while requests keep coming: each caller gets 502, and the log gets one
 * full line plus a count, not one line per request (a soak once wrote 11,129 identical lines for a
 * three-second outage). None of the callers' credentials appear in it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class UpstreamOutageLogTest {

  private static final int REQUESTS = 300;
  private static final Pattern LEFT_OUT_ON_A_LINE =
      Pattern.compile("\\(and ([\\d,]+) more like it in the last \\d+ s\\)");

  @Test
  void manyRequestsToADownUpstreamWriteOneFullLineAndACountOfTheRest(ProxyServers servers)
      throws Exception {
    int deadPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = probe.getLocalPort();
    }
    String token = "at-" + UUID.randomUUID();
    String session = "sid-" + UUID.randomUUID();
    String code = "code-" + UUID.randomUUID();
    SecretLedger.record("access token sent to the proxy", token);
    SecretLedger.record("cookie sent to the proxy", session);
    SecretLedger.record("code sent to the proxy", code);

    ProxyChain chain =
        servers.chain(Map.of("down", b -> b.targetUri("http://127.0.0.1:" + deadPort)));
    String log;
    try (StderrCapture captured = StderrCapture.start()) {
      try {
        for (int i = 0; i < REQUESTS; i++) {
          HttpRequest request =
              HttpRequest.newBuilder(chain.via("down", "/callback/" + i + "?code=" + code))
                  .header("Authorization", "Bearer " + token)
                  .header("Cookie", "session=" + session)
                  .timeout(Duration.ofSeconds(30))
                  .build();
          assertThat(chain.client.send(request, BodyHandlers.ofString()).statusCode())
              .isEqualTo(502);
        }
      } finally {
        chain.close(); // the servlet's destroy() reports what was left out since the last line
      }
      log = captured.text();
    }

    List<String> full =
        log.lines().filter(l -> l.contains(": upstream failed, answering 502")).toList();
    // One line per minute at most: the run takes seconds, but a loaded machine may cross a minute.
    assertThat(full).hasSizeBetween(1, 3);
    assertThat(full.get(0)).contains("GET /callback/0: upstream failed, answering 502");
    long counted = 0;
    for (String line : full) {
      Matcher m = LEFT_OUT_ON_A_LINE.matcher(line);
      counted += m.find() ? parse(m.group(1)) : 0;
    }
    Matcher summary =
        Pattern.compile(
                Pattern.quote("upstream failed (http://127.0.0.1:" + deadPort + "): ")
                    + "([\\d,]+) more in the last \\d+ s, not logged one by one")
            .matcher(log);
    assertThat(summary.find()).as("the count reported at shutdown").isTrue();
    counted += parse(summary.group(1));
    assertThat(full.size() + counted)
        .as("every failure is either a line or counted")
        .isEqualTo(REQUESTS);
    assertThat(log).doesNotContain(token).doesNotContain(session).doesNotContain(code);
  }

  private static long parse(String count) {
    return Long.parseLong(count.replace(",", ""));
  }
}
