package dev.oidcgate.oidc.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a person's browser meets besides the login itself: a form posted while no session is left
 * (kept and posted again after the login), and the page shown when a rule refuses a signed-in
 * person.
 *
 * @param preservePost whether a same-origin form POST that needs a login is kept and replayed once
 *     after the login
 * @param preservePostMaxSize the largest body, in bytes, that is kept
 * @param errorPage where a refused browser navigation goes: empty for the filter's own HTML page,
 *     {@code container} for the container's error pages ({@code sendError(403)}), else a path under
 *     the context that the request is forwarded to
 */
public record BrowserSettings(
    boolean preservePost, int preservePostMaxSize, Optional<String> errorPage) {

  /** {@link #errorPage} for the container's own error pages. */
  public static final String CONTAINER = "container";

  public static final OidcSetting<Boolean> PRESERVE_POST =
      OidcSetting.define(
          "preservePost",
          "off",
          "`on`: a same-origin form POST (`application/x-www-form-urlencoded`, at most"
              + " `preservePostMaxSize` bytes) that needs a login is kept, sealed, in the cluster"
              + " state (Redis, else this JVM), bound to that login, and reaches the app as the"
              + " same POST, once, when the login is back. Multipart and larger forms are not kept."
              + " See `docs/browser-apps.md`.",
          BrowserSettings::onOff);
  public static final OidcSetting<Integer> PRESERVE_POST_MAX_SIZE =
      OidcSetting.define(
          "preservePostMaxSize",
          "65536",
          "The largest form body, in bytes, that `preservePost` keeps; at most 16777216 (16 MiB).",
          BrowserSettings::maxSize);
  public static final OidcSetting<String> ERROR_PAGE =
      OidcSetting.define(
          "errorPage",
          null,
          "What a person's browser sees when a rule or an unmet step-up refuses it (403): by"
              + " default a short HTML page of the filter's; a path under the context (e.g."
              + " `/forbidden.jsp`) forwards the request there with status 403; `container` calls"
              + " `sendError(403)` so the container's error pages answer. Scripts and API clients"
              + " always get the JSON.",
          BrowserSettings::errorPagePath);

  public BrowserSettings {
    Objects.requireNonNull(errorPage);
  }

  static BrowserSettings from(SettingValues v) {
    return new BrowserSettings(
        v.get(PRESERVE_POST), v.get(PRESERVE_POST_MAX_SIZE), v.optional(ERROR_PAGE));
  }

  private static boolean onOff(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException("write on or off");
    };
  }

  /** The most {@code preservePostMaxSize} may be: a kept body is held in memory and in Redis. */
  static final int LARGEST_KEPT_POST = 16 * 1024 * 1024;

  private static int maxSize(String text) {
    int size = dev.oidcgate.settings.SettingParsers.positiveInt(text);
    if (size > LARGEST_KEPT_POST) {
      throw new IllegalArgumentException("write at most " + LARGEST_KEPT_POST + " (16 MiB)");
    }
    return size;
  }

  private static String errorPagePath(String text) {
    String t = text.trim();
    if (t.equals(CONTAINER)) {
      return t;
    }
    if (!t.startsWith("/") || t.startsWith("//") || t.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("write a path starting with / or container");
    }
    return t;
  }
}
