package dev.oidcgate.oidc.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An identity provider's known quirks, applied as defaults that any explicit setting (init-param,
 * builder, environment variable) overrides. Each default is documented with its source in {@code
 * docs/providers/*.md}. Chosen by {@code provider}, or detected from the issuer URL, or else from
 * the discovery document.
 */
public enum ProviderProfile {
  /** Amazon Cognito user pools. */
  COGNITO("cognito"),
  /** Microsoft Entra ID (v2.0 endpoints). */
  ENTRA("entra"),
  KEYCLOAK("keycloak"),
  /** Okta: the org authorization server, or a custom one under {@code /oauth2/<id>}. */
  OKTA("okta"),
  AUTH0("auth0"),
  GOOGLE("google"),
  /** No quirks: the specifications only. */
  GENERIC("generic");

  private final String text;

  ProviderProfile(String text) {
    this.text = text;
  }

  /** How it is written in configuration. */
  public String text() {
    return text;
  }

  /** The profile an issuer URL names by its host or path, or empty when it names none. */
  public static Optional<ProviderProfile> fromIssuer(String issuer) {
    URI uri = URI.create(issuer);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (host.startsWith("cognito-idp.") && host.endsWith(".amazonaws.com")) {
      return Optional.of(COGNITO);
    }
    if (host.equals("login.microsoftonline.com")
        || host.equals("sts.windows.net")
        || host.endsWith(".ciamlogin.com")) {
      return Optional.of(ENTRA);
    }
    if (host.equals("accounts.google.com")) {
      return Optional.of(GOOGLE);
    }
    if (host.endsWith(".okta.com") || host.endsWith(".oktapreview.com")) {
      return Optional.of(OKTA);
    }
    if (host.endsWith(".auth0.com")) {
      return Optional.of(AUTH0);
    }
    if (path.matches("(/auth)?/realms/[^/]+/?")) {
      return Optional.of(KEYCLOAK);
    }
    return Optional.empty();
  }

  /**
   * The settings this provider needs other than their generic defaults, as text.
   *
   * @param v the values set so far, read for the client id, the audience and the issuer
   */
  Map<OidcSetting<?>, String> defaults(SettingValues v) {
    Map<OidcSetting<?>, String> d = new LinkedHashMap<>();
    switch (this) {
      case COGNITO -> {
        // Access tokens carry client_id and no aud; groups are cognito:groups; /logout (named as
        // end_session_endpoint in discovery since February 2024) takes client_id and logout_uri,
        // not post_logout_redirect_uri (AWS: "Understanding the access token", "The logout
        // endpoint").
        d.put(AccessSettings.AUDIENCE_CLAIM, "client_id");
        d.put(AccessSettings.GROUPS_CLAIM, "cognito:groups");
        d.put(LogoutSettings.LOGOUT_REDIRECT_PARAMETER, "logout_uri");
      }
      case ENTRA -> d.put(AccessSettings.SCOPES_CLAIM, "scp");
      case KEYCLOAK -> {
        String client = v.optional(ClientSettings.CLIENT_ID).orElse("");
        d.put(
            AccessSettings.ROLES_CLAIM,
            client.isEmpty() || client.contains(",")
                ? "realm_access.roles"
                : "realm_access.roles, resource_access." + client + ".roles");
      }
      case OKTA -> {
        d.put(AccessSettings.SCOPES_CLAIM, "scp");
        if (!v.get(ProviderSettings.ISSUER).issuer().contains("/oauth2/")) {
          // The org authorization server's access tokens are for Okta's own APIs only.
          d.put(LoginSettings.CREDENTIALS, "session");
        }
      }
      case AUTH0 -> {
        List<String> audience = v.optional(TokenSettings.AUDIENCE).orElse(List.of());
        if (!audience.isEmpty() && !audience.get(0).contains(",")) {
          // Auth0 issues a JWT access token for an API only when the login asks for it.
          d.put(AuthorizationSettings.AUTHORIZATION_PARAMETERS, "audience=" + audience.get(0));
        }
      }
      case GOOGLE -> {
        // Google access tokens are opaque and Google has no introspection endpoint; a refresh
        // token only comes with access_type=offline, and again only with prompt=consent.
        d.put(LoginSettings.CREDENTIALS, "session");
        d.put(
            AuthorizationSettings.AUTHORIZATION_PARAMETERS, "access_type=offline, prompt=consent");
        d.put(PolicySettings.CLAIMS_REQUIRED, "email_verified");
      }
      case GENERIC -> {}
    }
    return d;
  }

  /**
   * Claims every access token must carry, beyond the generic checks: Cognito marks its access
   * tokens {@code token_use: access} (AWS: "Verifying a JSON Web Token").
   */
  Map<String, String> accessTokenClaims() {
    return this == COGNITO ? Map.of("token_use", "access") : Map.of();
  }

  /**
   * Where to log out when neither {@code logoutEndpoint} nor discovery names an endpoint: Cognito's
   * {@code /logout} on the host of its authorization endpoint (for discovery documents from before
   * February 2024; since then Cognito's names it as {@code end_session_endpoint}), Auth0's {@code
   * /v2/logout} on the issuer.
   *
   * @return the endpoint and the parameter that carries the post-logout URL there
   */
  public Optional<Map.Entry<URI, String>> logoutFallback(URI authorizationEndpoint, String issuer) {
    if (this == COGNITO && authorizationEndpoint != null) {
      return Optional.of(Map.entry(authorizationEndpoint.resolve("/logout"), "logout_uri"));
    }
    if (this == AUTH0) {
      String base = issuer.endsWith("/") ? issuer : issuer + "/";
      return Optional.of(Map.entry(URI.create(base + "v2/logout"), "returnTo"));
    }
    return Optional.empty();
  }
}
