package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.testserver.StandInExtension;

/**
 * A {@link FilterServers} in every field and parameter of that type, so that a test configures each
 * filter server it starts and the extension closes them all after it:
 * {@code @ExtendWith(FilterServerExtension.class)}.
 */
public final class FilterServerExtension extends StandInExtension<FilterServers> {

  public FilterServerExtension() {
    super(FilterServers.class, FilterServers::new);
  }
}
