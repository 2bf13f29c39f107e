package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.testserver.StandInExtension;

/**
 * A running {@link TestAuthServer} in every {@code TestAuthServer} field and parameter of a test,
 * closed after it: {@code @ExtendWith(TestAuthServerExtension.class)}.
 */
public final class TestAuthServerExtension extends StandInExtension<TestAuthServer> {

  public TestAuthServerExtension() {
    super(TestAuthServer.class, TestAuthServer::new);
  }
}
