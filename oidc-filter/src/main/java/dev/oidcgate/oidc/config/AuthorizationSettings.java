package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the authorization request carries besides what the flow sets itself: fixed parameters, and
 * parameters of the browser's own request that are passed on.
 *
 * @param parameters added to every authorization request, e.g. {@code prompt=login}
 * @param passedOn names of query parameters copied from the request that starts the login
 */
public record AuthorizationSettings(Map<String, String> parameters, List<String> passedOn) {

  /** Set by the flow itself, so never taken from configuration or the browser. */
  static final Set<String> RESERVED =
      Set.of(
          "response_type",
          "client_id",
          "redirect_uri",
          "state",
          "nonce",
          "code_challenge",
          "code_challenge_method",
          "scope",
          "response_mode",
          "request",
          "request_uri");

  public static final OidcSetting<Map<String, String>> AUTHORIZATION_PARAMETERS =
      OidcSetting.define(
          "authorizationParameters",
          null,
          "Parameters added to every authorization request, comma-separated `name=value`, e.g."
              + " `audience=https://api.example.com` (Auth0), `prompt=login`, `resource=...`,"
              + " `acr_values=...`. Not the ones the flow sets itself (`state`, `nonce`, `scope`,"
              + " `redirect_uri`, ...).",
          AuthorizationSettings::parameters);
  public static final OidcSetting<List<String>> AUTHORIZATION_QUERY_PARAMETERS =
      OidcSetting.define(
          "authorizationQueryParameters",
          null,
          "Query parameters of the request that starts a login passed on to the authorization"
              + " request, e.g. `login_hint ui_locales`; a repeated or over-long one is left out.",
          AuthorizationSettings::names);

  public AuthorizationSettings {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    passedOn = List.copyOf(passedOn);
    Objects.requireNonNull(parameters);
  }

  static AuthorizationSettings from(SettingValues v) {
    return new AuthorizationSettings(
        v.optional(AUTHORIZATION_PARAMETERS).orElse(Map.of()),
        v.optional(AUTHORIZATION_QUERY_PARAMETERS).orElse(List.of()));
  }

  private static Map<String, String> parameters(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : SettingParsers.list(text)) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("write name=value, e.g. prompt=login");
      }
      out.put(notReserved(entry.substring(0, eq).trim()), entry.substring(eq + 1).trim());
    }
    return out;
  }

  private static List<String> names(String text) {
    return SettingParsers.words(text).stream().map(AuthorizationSettings::notReserved).toList();
  }

  private static String notReserved(String name) {
    String n = SettingTypes.parameterName(name);
    if (RESERVED.contains(n)) {
      throw new IllegalArgumentException(n + " is set by the login itself");
    }
    return n;
  }
}
