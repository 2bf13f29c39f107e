package dev.oidcgate.oidc.config;

/** Where sessions live ({@code sessionStore}). */
public enum SessionStoreKind {
  /** Encrypted cookies: no server state. */
  COOKIE("cookie"),
  /** This JVM's memory. */
  MEMORY("memory"),
  /** The servlet container's {@code HttpSession}. */
  CONTAINER("container"),
  /** Redis ({@code redisUri}), shared by every node. */
  REDIS("redis");

  private final String text;

  SessionStoreKind(String text) {
    this.text = text;
  }

  /** The value as written in configuration. */
  public String text() {
    return text;
  }
}
