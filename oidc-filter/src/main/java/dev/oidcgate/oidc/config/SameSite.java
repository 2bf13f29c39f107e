package dev.oidcgate.oidc.config;

/** A cookie's {@code SameSite} attribute. */
public enum SameSite {
  LAX("Lax"),
  STRICT("Strict"),
  NONE("None");

  private final String text;

  SameSite(String text) {
    this.text = text;
  }

  /** The attribute value, as written in configuration and in {@code Set-Cookie}. */
  public String text() {
    return text;
  }
}
