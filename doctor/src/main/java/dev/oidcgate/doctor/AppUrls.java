package dev.oidcgate.doctor;

/**
 * The app's URLs the IdP must know, as the filter builds them: its endpoints sit under the first
 * URL pattern ({@code /oidc-route/*} puts the callback at {@code /oidc-route/callback}). Used where
 * the filter's own {@code FilterPaths} cannot say them whole (no {@code --app-url}, or an endpoint
 * it does not name).
 */
final class AppUrls {

  private final Options options;

  AppUrls(Options options) {
    this.options = options;
  }

  /** The redirect URI's path under the origin: callback under the first URL pattern. */
  String redirectPath() {
    return options.contextPath() + patternPrefix() + "/callback";
  }

  /** Where the filter takes logout tokens: backchannel-logout under its first URL pattern. */
  String backchannelLogout() {
    String base =
        options
            .appUrl()
            .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
            .orElse("<app>");
    return base + options.contextPath() + patternPrefix() + "/backchannel-logout";
  }

  /**
   * {@code /oidc-route} for {@code /oidc-route/*}; empty for {@code /*} or an extension pattern.
   */
  private String patternPrefix() {
    String p = options.urlPattern();
    return p.startsWith("/") && p.endsWith("/*") ? p.substring(0, p.length() - 2) : "";
  }
}
