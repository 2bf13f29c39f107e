package dev.oidcgate.proxy;

import dev.oidcgate.testserver.Closer;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Starts the proxy chains and upstreams of one test, or of one test class when a {@code @BeforeAll}
 * method takes it, each configured by the test, and closes them all, the last started first, when
 * that scope ends (see {@link ProxyServersExtension}).
 */
public final class ProxyServers implements AutoCloseable {

  private final Closer started = new Closer();

  /** A {@link ProxyChain} with these routes; see {@link ProxyChain#ProxyChain(Map)}. */
  ProxyChain chain(Map<String, UnaryOperator<ProxyConfigBuilder>> routes) throws Exception {
    return closeAfter(new ProxyChain(routes));
  }

  /** {@code server} (an upstream, a proxy host), to be closed with the chains. */
  public <T extends AutoCloseable> T closeAfter(T server) {
    return started.register(server);
  }

  @Override
  public void close() {
    started.close();
  }
}
