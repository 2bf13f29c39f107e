package dev.oidcgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.proxy.fuzz.ProxiedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The URL fuzz target's corpus ({@code UpstreamUrlFuzzTest}) through the real chain: each input is
 * sent over a socket to a {@link ProxyServlet} in Jetty at {@code /app/api/*} (target {@code
 * /base}) or {@code /app/root/*} (target at the upstream's root). Either the upstream receives a
 * path under the target with no dot segment, encoded slash or backslash, and the client gets its
 * 200, or the client gets a 4xx and the upstream nothing; never a 5xx.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(ProxyServersExtension.class)
class UpstreamUrlCorpusOverHttpTest {

  @Test
  void everyCorpusPathStaysUnderTheTargetOrIsRefused(ProxyServers servers) throws Exception {
    Map<String, UnaryOperator<ProxyConfigBuilder>> routes = new LinkedHashMap<>();
    routes.put("api", b -> b.targetUri(b.build().targetUri() + "/base"));
    routes.put("root", b -> b);
    ProxyChain chain = servers.chain(routes);
    int forwarded = 0;
    for (byte[] bytes : corpus()) {
      ProxiedRequest in = ProxiedRequest.of(bytes);
      String target =
          (in.rootUpstream() ? "/app/root" : "/app/api")
              + in.path()
              + (in.query() == null ? "" : "?" + in.query());
      if (target.contains("\r") || target.contains("\n")) {
        continue; // not a request line; the in-process target covers it
      }
      RawHttp.Response r =
          RawHttp.exchange(
              chain.proxy.port(),
              "GET " + target + " HTTP/1.1",
              "Host: 127.0.0.1",
              "Connection: close");
      List<RecordedRequest> arrived = chain.echo.drain();
      if (r.status() == 200) {
        assertThat(arrived).hasSize(1);
        String path = arrived.get(0).rawUri().split("\\?", 2)[0];
        if (!in.rootUpstream()) {
          assertThat(path.equals("/base") || path.startsWith("/base/")).as(path).isTrue();
        }
        assertThat(ProxiedRequest.escapes(path)).as(path).isFalse();
        assertThat(path).doesNotStartWith("//");
        forwarded++;
      } else {
        assertThat(r.status()).as("answer to %s", target).isBetween(400, 499);
        assertThat(arrived).as("reached the upstream: %s", target).isEmpty();
      }
    }
    assertThat(forwarded).as("plain paths pass").isPositive();
  }

  private static List<byte[]> corpus() throws Exception {
    Path dir =
        Path.of(
            UpstreamUrlCorpusOverHttpTest.class
                .getResource(
                    "/dev/oidcgate/proxy/fuzz/UpstreamUrlFuzzTestInputs/"
                        + "theUpstreamUrlStaysUnderTheTargetOrTheRequestIsRefused")
                .toURI());
    try (var files = Files.list(dir)) {
      return files
          .sorted()
          .map(
              f -> {
                try {
                  return Files.readAllBytes(f);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }
}
