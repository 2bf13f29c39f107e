package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.testserver.StandInExtension;

/**
 * A {@link TestIdp} serving all its endpoints ({@link TestIdp#serveAll()}) in every {@code TestIdp}
 * field and parameter of a test, closed after it: {@code @ExtendWith(TestIdpExtension.class)}.
 */
public final class TestIdpExtension extends StandInExtension<TestIdp> {

  public TestIdpExtension() {
    super(TestIdp.class, () -> new TestIdp().serveAll());
  }
}
