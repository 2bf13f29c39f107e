package dev.oidcgate.oidc.config;

import com.nimbusds.oauth2.sdk.ResponseMode;
import dev.oidcgate.settings.SettingParsers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which credentials count and how a browser logs in (authorization code with PKCE).
 *
 * @param credentials {@code session} and/or {@code bearer}, in the order they are looked for
 * @param bearerTokenHeader another header a bearer token may come in; empty for none
 * @param bearerTokenQueryParameter a query parameter a bearer token may come in; empty for none
 * @param enabled whether browsers can log in at all (a session credential and a client the token
 *     endpoint accepts)
 * @param redirectUri as configured (absolute URL or path); empty for the default under the filter's
 *     mapping
 * @param scopes always including {@code openid}
 * @param externalUrl the app's public base URL (no trailing {@code /}); empty to build URLs from
 *     the origin of an absolute {@code redirectUri}, else from each request
 */
public record LoginSettings(
    List<Credential> credentials,
    Optional<String> bearerTokenHeader,
    Optional<String> bearerTokenQueryParameter,
    boolean enabled,
    UnauthenticatedAction unauthenticatedAction,
    Optional<String> redirectUri,
    Optional<URI> externalUrl,
    List<String> scopes,
    ResponseMode responseMode,
    boolean userInfo,
    Duration refreshLeeway,
    int maxLoginsInFlight,
    Duration loginTimeout) {
  public static final OidcSetting<List<Credential>> CREDENTIALS =
      OidcSetting.define(
          "credentials",
          "session bearer",
          "Which credentials are accepted, in the order they are looked for: `session` (the login"
              + " cookie) and `bearer` (`Authorization: Bearer`). `bearer` alone makes a pure API:"
              + " no login, no session.",
          SettingTypes::credentials);
  public static final OidcSetting<String> BEARER_TOKEN_HEADER =
      OidcSetting.define(
          "bearerTokenHeader",
          null,
          "Another request header a bearer token may come in (the token, or `Bearer` and the"
              + " token), e.g. `X-Api-Token`; removed before the app sees the request. Off by"
              + " default: see the risks under *Bearer tokens elsewhere*.",
          SettingTypes::bearerHeaderName);
  public static final OidcSetting<String> BEARER_TOKEN_QUERY_PARAMETER =
      OidcSetting.define(
          "bearerTokenQueryParameter",
          null,
          "A query parameter a bearer token may come in, e.g. `access_token` (RFC 6750 §2.3). Off"
              + " by default: URLs end up in logs, history and `Referer`; see *Bearer tokens"
              + " elsewhere*.",
          SettingTypes::parameterName);
  public static final OidcSetting<UnauthenticatedAction> UNAUTHENTICATED_ACTION =
      OidcSetting.define(
          "unauthenticatedAction",
          "redirect",
          "Without a credential: `redirect` sends browser navigations to log in (others get 401),"
              + " `deny` always answers 401, `pass` lets the request through anonymously. Without"
              + " `clientSecret` (and `tokenEndpointAuthMethod` other than `none` and"
              + " `private_key_jwt`) the default is `deny`.",
          v ->
              SettingParsers.choice(
                  v, UnauthenticatedAction.values(), UnauthenticatedAction::text));
  public static final OidcSetting<String> REDIRECT_URI =
      OidcSetting.define(
          "redirectUri",
          null,
          "Where the IdP sends the browser back: an absolute URL or a path under the context."
              + " Default: `callback` under the filter's first URL pattern. May be a protected URL"
              + " itself.",
          String::trim);
  public static final OidcSetting<URI> EXTERNAL_URL =
      OidcSetting.define(
          "externalUrl",
          null,
          "The app's public base URL, e.g. `https://app.example.com` (a path after the host stands"
              + " for the context path). Redirect URIs, the post-logout URL, return URLs and the"
              + " logout origin check are built on it, never on a request's `Host` header. Default:"
              + " the origin of an absolute `redirectUri`, else each request's own (a start-up"
              + " warning says so). Set it in production.",
          SettingTypes::baseUrl);
  public static final OidcSetting<List<String>> SCOPES =
      OidcSetting.define(
          "scopes",
          "openid profile email",
          "The scopes asked for at login; `openid` is always added.",
          SettingParsers::words);
  public static final OidcSetting<ResponseMode> RESPONSE_MODE =
      OidcSetting.define(
          "responseMode",
          "query",
          "How the IdP returns the code: `query` or `form_post`; or as a signed JWT (JARM):"
              + " `jwt` (the IdP's default, `query.jwt` for a code), `query.jwt` or"
              + " `form_post.jwt`, whose signature, `iss`, `aud` and `exp` are checked before its"
              + " `state` and `code` are used. Encrypted JARM responses are not supported.",
          v ->
              SettingParsers.choice(
                  v,
                  new ResponseMode[] {
                    ResponseMode.QUERY,
                    ResponseMode.FORM_POST,
                    ResponseMode.JWT,
                    ResponseMode.QUERY_JWT,
                    ResponseMode.FORM_POST_JWT
                  },
                  m -> m.getValue()));
  public static final OidcSetting<Boolean> USER_INFO =
      OidcSetting.define(
          "userInfo",
          "false",
          "Whether to call the UserInfo endpoint at login and add its claims (its `sub` must equal"
              + " the ID token's).",
          SettingParsers::bool);
  public static final OidcSetting<Duration> REFRESH_LEEWAY =
      OidcSetting.define(
          "refreshLeeway",
          "60s",
          "The access token is refreshed this long before it expires (but not in the first half of"
              + " its life), when there is a refresh token.",
          SettingParsers::duration);
  public static final OidcSetting<Integer> MAX_LOGINS_IN_FLIGHT =
      OidcSetting.define(
          "maxLoginsInFlight",
          "5",
          "The most unfinished logins one browser may have (tabs); the oldest is dropped beyond.",
          SettingParsers::positiveInt);
  public static final OidcSetting<Duration> LOGIN_TIMEOUT =
      OidcSetting.define(
          "loginTimeout",
          "10m",
          "How long a started login may take before its callback is refused.",
          SettingParsers::duration);

  public LoginSettings {
    credentials = List.copyOf(credentials);
    Objects.requireNonNull(bearerTokenHeader);
    Objects.requireNonNull(bearerTokenQueryParameter);
    Objects.requireNonNull(unauthenticatedAction);
    Objects.requireNonNull(redirectUri);
    Objects.requireNonNull(externalUrl);
    scopes = withOpenid(scopes);
    Objects.requireNonNull(responseMode);
    Objects.requireNonNull(refreshLeeway);
    Objects.requireNonNull(loginTimeout);
  }

  static LoginSettings from(SettingValues v, ClientSettings client) {
    List<Credential> credentials = v.get(CREDENTIALS);
    boolean enabled = credentials.contains(Credential.SESSION) && client.canUseTokenEndpoint();
    UnauthenticatedAction action = v.get(UNAUTHENTICATED_ACTION);
    if (action == UnauthenticatedAction.REDIRECT && !enabled) {
      if (v.isExplicit(UNAUTHENTICATED_ACTION)) {
        if (!credentials.contains(Credential.SESSION)) {
          throw new OidcConfigException(
              UNAUTHENTICATED_ACTION.key(), "redirect needs session among the credentials");
        }
        if (client.clientId().isEmpty()) {
          throw new OidcConfigException(ClientSettings.CLIENT_ID.key(), "is required for login");
        }
        throw new OidcConfigException(
            ClientSettings.CLIENT_SECRET.key(),
            "is required for login with "
                + client.tokenEndpointAuthMethod()
                + " (or set tokenEndpointAuthMethod=none for a public client)");
      }
      action = UnauthenticatedAction.DENY; // a pure resource server: nobody to log in
    }
    return new LoginSettings(
        credentials,
        v.optional(BEARER_TOKEN_HEADER),
        v.optional(BEARER_TOKEN_QUERY_PARAMETER),
        enabled,
        action,
        v.optional(REDIRECT_URI).filter(u -> !u.isEmpty()),
        v.optional(EXTERNAL_URL),
        v.get(SCOPES),
        v.get(RESPONSE_MODE),
        v.get(USER_INFO),
        v.get(REFRESH_LEEWAY),
        v.get(MAX_LOGINS_IN_FLIGHT),
        v.get(LOGIN_TIMEOUT));
  }

  /** Whether the code comes back in a cross-site POST ({@code form_post}). */
  public boolean formPost() {
    return responseMode.equals(ResponseMode.FORM_POST)
        || responseMode.equals(ResponseMode.FORM_POST_JWT);
  }

  /**
   * Whether the response comes as a signed JWT (JARM): {@code jwt}, {@code query.jwt} or {@code
   * form_post.jwt}.
   */
  public boolean jarm() {
    return responseMode.equals(ResponseMode.JWT)
        || responseMode.equals(ResponseMode.QUERY_JWT)
        || responseMode.equals(ResponseMode.FORM_POST_JWT);
  }

  private static List<String> withOpenid(List<String> scopes) {
    List<String> out = new ArrayList<>(scopes);
    if (!out.contains("openid")) {
      out.add(0, "openid");
    }
    return List.copyOf(out);
  }
}
