package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;
import java.util.Locale;
import java.util.Objects;

/**
 * How the authorization request reaches the provider: pushed first (PAR, RFC 9126) and/or as a
 * signed request object (JAR, RFC 9101).
 *
 * @param pushed when the request is pushed to the provider's PAR endpoint
 * @param requestObject whether the parameters travel as a request object signed with the client key
 */
public record AuthorizationRequestSettings(PushedRequests pushed, RequestObject requestObject) {

  /** {@code pushedAuthorizationRequests}. */
  public enum PushedRequests {
    /** When the provider's metadata says {@code require_pushed_authorization_requests}. */
    AUTO,
    /** Always; the provider must have a PAR endpoint. */
    ALWAYS,
    /** Never. */
    NEVER;

    /** The value as written in configuration. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code requestObject}. */
  public enum RequestObject {
    /** Plain query parameters. */
    NONE,
    /** A JWT signed with {@code clientSigningKey} (RFC 9101). */
    SIGNED;

    /** The value as written in configuration. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final OidcSetting<PushedRequests> PUSHED_AUTHORIZATION_REQUESTS =
      OidcSetting.define(
          "pushedAuthorizationRequests",
          "auto",
          "Whether the authorization request is first pushed to the provider's"
              + " `pushed_authorization_request_endpoint` (PAR, RFC 9126), the browser then carrying"
              + " only `client_id` and `request_uri`: `auto` (when the provider's metadata says"
              + " `require_pushed_authorization_requests`), `always` (the filter does not start"
              + " when the provider has no PAR endpoint) or `never`.",
          t -> SettingParsers.choice(t.trim(), PushedRequests.values(), PushedRequests::text));
  public static final OidcSetting<RequestObject> REQUEST_OBJECT =
      OidcSetting.define(
          "requestObject",
          "none",
          "`signed`: the authorization request's parameters travel as a request object (JAR, RFC"
              + " 9101) signed with `clientSigningKey` (claims `iss`, `aud` = the issuer, `exp`,"
              + " `nbf`, `jti`); with PAR, that object is what is pushed. `none`: plain parameters.",
          t -> SettingParsers.choice(t.trim(), RequestObject.values(), RequestObject::text));

  public AuthorizationRequestSettings {
    Objects.requireNonNull(pushed);
    Objects.requireNonNull(requestObject);
  }

  static AuthorizationRequestSettings from(SettingValues v) {
    return new AuthorizationRequestSettings(
        v.get(PUSHED_AUTHORIZATION_REQUESTS), v.get(REQUEST_OBJECT));
  }

  /** Whether request objects are signed. */
  public boolean signed() {
    return requestObject == RequestObject.SIGNED;
  }
}
