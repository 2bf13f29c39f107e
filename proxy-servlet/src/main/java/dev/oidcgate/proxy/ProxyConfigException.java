package dev.oidcgate.proxy;

/**
 * A configuration value is missing, unknown or malformed. The message always starts with the key,
 * so that whoever reads a failed start-up knows which init-param (or builder call) to fix. The
 * message never contains the offending value of a key whose value may be secret; the proxy's keys
 * carry no secrets, so values are quoted where that helps.
 */
public final class ProxyConfigException extends IllegalArgumentException {

  private final String key;

  ProxyConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The configuration key at fault, e.g. {@code targetUri}. */
  public String key() {
    return key;
  }
}
