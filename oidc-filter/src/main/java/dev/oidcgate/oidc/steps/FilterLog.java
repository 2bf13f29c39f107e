package dev.oidcgate.oidc.steps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter's logger: the steps write its lines, so log settings that name the filter still apply.
 */
final class FilterLog {

  static final Logger LOG = LoggerFactory.getLogger("dev.oidcgate.oidc.OidcFilter");

  private FilterLog() {}
}
