package dev.oidcgate.oidc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lettuce is an optional dependency: without it on the classpath the filter starts as long as Redis
 * is not asked for, and stops at start-up naming {@code redisUri} when it is.
 */
@Timeout(60)
class WithoutLettuceTest {

  @Test
  void withoutLettuceTheFilterStartsWithCookieAndMemorySessions() throws Exception {
    assertThat(startWithoutLettuce(Map.of())).isEqualTo("started");
    assertThat(startWithoutLettuce(Map.of("sessionStore", "memory"))).isEqualTo("started");
  }

  @Test
  void withoutLettuceRedisStopsStartUpWithAMessageNamingRedisUri() throws Exception {
    Map<String, String> redis = new LinkedHashMap<>();
    redis.put("sessionStore", "redis");
    redis.put("redisUri", "redis://127.0.0.1:1");
    assertThat(startWithoutLettuce(redis))
        .startsWith("redisUri:")
        .contains("io.lettuce:lettuce-core");
    assertThat(startWithoutLettuce(Map.of("redisUri", "redis://127.0.0.1:1")))
        .startsWith("redisUri:");
  }

  private static String startWithoutLettuce(Map<String, String> extra) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("issuer", "http://127.0.0.1:1/unreachable");
    params.put("clientId", "app");
    params.put("clientSecret", "secret");
    params.put("sessionSecret", "a-session-secret-of-at-least-32-characters");
    params.putAll(extra);
    try (URLClassLoader loader = new URLClassLoader(classpathWithoutLettuce(), parent())) {
      assertThat(loader.getResource("io/lettuce/core/RedisClient.class")).isNull();
      Class<?> probe = Class.forName(NoLettuceProbe.class.getName(), true, loader);
      return (String) probe.getMethod("start", Map.class).invoke(null, params);
    }
  }

  private static URL[] classpathWithoutLettuce() throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (!name.startsWith("lettuce-")
          && !name.startsWith("netty-")
          && !name.startsWith("reactor-")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }

  private static ClassLoader parent() {
    return ClassLoader.getPlatformClassLoader();
  }
}
