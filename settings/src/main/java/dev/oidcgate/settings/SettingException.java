package dev.oidcgate.settings;

/**
 * A setting that cannot work. The message is always {@code key: reason}, so a failed start-up says
 * which key to fix. Thrown once, while a configuration is built. The reason never contains the
 * value of a secret; callers that quote values decide that per key.
 *
 * <p>Each library may subclass it to keep a type of its own in its public API (the proxy's {@code
 * ProxyConfigException}); catching this type catches them all.
 */
public class SettingException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final String reason;

  /**
   * @param key the configuration key at fault, as written in {@code web.xml}
   * @param reason what is wrong and, where it helps, how to write it instead
   */
  public SettingException(String key, String reason) {
    super(key + ": " + reason);
    this.key = key;
    this.reason = reason;
  }

  /** The configuration key at fault, as written in {@code web.xml} and the documentation. */
  public String key() {
    return key;
  }

  /** The message without the key. */
  public String reason() {
    return reason;
  }
}
