package dev.oidcgate.oidc.config;

/** A kind of credential the filter accepts ({@code credentials}). */
public enum Credential {
  /** The session cookie a browser login made. */
  SESSION("session"),
  /** {@code Authorization: Bearer} (RFC 6750). */
  BEARER("bearer");

  private final String text;

  Credential(String text) {
    this.text = text;
  }

  /** The value as written in configuration. */
  public String text() {
    return text;
  }
}
