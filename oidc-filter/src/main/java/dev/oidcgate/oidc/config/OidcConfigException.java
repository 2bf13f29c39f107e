package dev.oidcgate.oidc.config;

/**
 * A configuration that cannot work. The message always starts with the name of the parameter at
 * fault, so a failed start-up says what to fix. Thrown once, when the configuration is built.
 */
public final class OidcConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public OidcConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /**
   * The configuration key at fault, as written in {@code web.xml} and {@code
   * docs/configuration.md}.
   */
  public String key() {
    return key;
  }
}
