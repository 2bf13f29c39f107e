package dev.oidcgate.oidc.config;

/** When a cookie gets the {@code Secure} flag ({@code sessionCookieSecure}). */
public enum CookieSecure {
  /** When the request came over HTTPS. */
  AUTO("auto"),
  ALWAYS("true"),
  NEVER("false");

  private final String text;

  CookieSecure(String text) {
    this.text = text;
  }

  /** The value as written in configuration. */
  public String text() {
    return text;
  }

  /** Whether a cookie set in answer to a request over this scheme is {@code Secure}. */
  public boolean secureFor(boolean httpsRequest) {
    return this == ALWAYS || (this == AUTO && httpsRequest);
  }
}
