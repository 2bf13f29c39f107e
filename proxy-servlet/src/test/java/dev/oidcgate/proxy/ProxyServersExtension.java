package dev.oidcgate.proxy;

import dev.oidcgate.testserver.StandInExtension;

/**
 * A {@link ProxyServers} in every field and parameter of that type: a {@code @BeforeAll} method's
 * parameter for servers shared by the class, a test method's for its own; the extension closes them
 * when that scope ends: {@code @ExtendWith(ProxyServersExtension.class)}.
 */
public final class ProxyServersExtension extends StandInExtension<ProxyServers> {

  public ProxyServersExtension() {
    super(ProxyServers.class, ProxyServers::new);
  }
}
