package dev.oidcgate.oidc.config;

import com.nimbusds.oauth2.sdk.ResponseMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which credentials count and how a browser logs in (authorization code with PKCE).
 *
 * @param credentials {@code session} and/or {@code bearer}, in the order they are looked for
 * @param enabled whether browsers can log in at all (a session credential and a client the token
 *     endpoint accepts)
 * @param redirectUri as configured (absolute URL or path); empty for the default under the filter's
 *     mapping
 * @param scopes always including {@code openid}
 */
public record LoginSettings(
    List<Credential> credentials,
    boolean enabled,
    UnauthenticatedAction unauthenticatedAction,
    Optional<String> redirectUri,
    List<String> scopes,
    ResponseMode responseMode,
    boolean userInfo,
    Duration refreshLeeway,
    int maxLoginsInFlight,
    Duration loginTimeout) {

  public LoginSettings {
    credentials = List.copyOf(credentials);
    Objects.requireNonNull(unauthenticatedAction);
    Objects.requireNonNull(redirectUri);
    scopes = withOpenid(scopes);
    Objects.requireNonNull(responseMode);
    Objects.requireNonNull(refreshLeeway);
    Objects.requireNonNull(loginTimeout);
  }

  static LoginSettings from(SettingValues v, ClientSettings client) {
    List<Credential> credentials = v.get(OidcSetting.CREDENTIALS);
    boolean enabled = credentials.contains(Credential.SESSION) && client.canUseTokenEndpoint();
    UnauthenticatedAction action = v.get(OidcSetting.UNAUTHENTICATED_ACTION);
    if (action == UnauthenticatedAction.REDIRECT && !enabled) {
      if (v.isExplicit(OidcSetting.UNAUTHENTICATED_ACTION)) {
        if (!credentials.contains(Credential.SESSION)) {
          throw new OidcConfigException(
              OidcSetting.UNAUTHENTICATED_ACTION.key(),
              "redirect needs session among the credentials");
        }
        throw new OidcConfigException(
            OidcSetting.CLIENT_SECRET.key(),
            "is required for login with "
                + client.tokenEndpointAuthMethod()
                + " (or set tokenEndpointAuthMethod=none for a public client)");
      }
      action = UnauthenticatedAction.DENY; // a pure resource server: nobody to log in
    }
    return new LoginSettings(
        credentials,
        enabled,
        action,
        v.optional(OidcSetting.REDIRECT_URI).filter(u -> !u.isEmpty()),
        v.get(OidcSetting.SCOPES),
        v.get(OidcSetting.RESPONSE_MODE),
        v.get(OidcSetting.USER_INFO),
        v.get(OidcSetting.REFRESH_LEEWAY),
        v.get(OidcSetting.MAX_LOGINS_IN_FLIGHT),
        v.get(OidcSetting.LOGIN_TIMEOUT));
  }

  /** Whether the code comes back in a cross-site POST ({@code form_post}). */
  public boolean formPost() {
    return responseMode.equals(ResponseMode.FORM_POST);
  }

  private static List<String> withOpenid(List<String> scopes) {
    List<String> out = new ArrayList<>(scopes);
    if (!out.contains("openid")) {
      out.add(0, "openid");
    }
    return List.copyOf(out);
  }
}
