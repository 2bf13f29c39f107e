package dev.oidcgate.proxy;

import dev.oidcgate.settings.SettingException;

/**
 * A configuration value is missing, unknown or malformed. The message always starts with the key,
 * so that whoever reads a failed start-up knows which init-param (or builder call) to fix; {@link
 * #key()} and {@link #reason()} give the two parts. The message never contains the offending value
 * of a key whose value may be secret; the proxy's keys carry no secrets, so values are quoted where
 * that helps. A {@link SettingException}, like the filter's configuration errors.
 */
public final class ProxyConfigException extends SettingException {

  private static final long serialVersionUID = 1L;

  ProxyConfigException(String key, String problem) {
    super(key, problem);
  }
}
