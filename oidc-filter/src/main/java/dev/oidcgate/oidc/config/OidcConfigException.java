package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingException;

/**
 * A configuration that cannot work. The message always starts with the name of the parameter at
 * fault, so a failed start-up says what to fix. Thrown once, when the configuration is built.
 */
public final class OidcConfigException extends SettingException {

  private static final long serialVersionUID = 1L;

  public OidcConfigException(String key, String problem) {
    super(key, problem);
  }
}
