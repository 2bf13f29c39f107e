package dev.oidcgate.oidc.cluster;

import dev.oidcgate.oidc.OidcGate;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.config.OidcConfigException;
import java.util.Map;

/**
 * Run by {@link WithoutLettuceTest} inside a class loader that has no Lettuce: starts a gate with
 * the given init-params and says how it went.
 */
public final class NoLettuceProbe {

  private NoLettuceProbe() {}

  /**
   * @return "started", or the configuration error's message
   */
  public static String start(Map<String, String> params) {
    try (OidcGate gate = OidcGate.start(OidcConfig.fromInitParams(params))) {
      return gate.login().isPresent() ? "started" : "started without login";
    } catch (OidcConfigException e) {
      return e.getMessage();
    }
  }
}
