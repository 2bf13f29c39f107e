package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.identity.HeaderMatcher;
import dev.oidcgate.oidc.identity.IdentityHeaders;
import dev.oidcgate.oidc.identity.TokenHeader;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The identity passed on to the app and to upstreams, as headers.
 *
 * @param identityHeaders the headers set for a caller, and the names stripped from clients
 */
public record UpstreamSettings(IdentityHeaders identityHeaders) {
  public static final OidcSetting<TokenHeader> UPSTREAM_ACCESS_TOKEN_HEADER =
      OidcSetting.define(
          "upstreamAccessTokenHeader",
          "Authorization:Bearer",
          "The header that carries the access token to the app and upstream: `Name` or"
              + " `Name:Bearer`; `none` to send none.",
          TokenHeader::parse);
  public static final OidcSetting<Map<String, ClaimPath>> UPSTREAM_CLAIM_HEADERS =
      OidcSetting.define(
          "upstreamClaimHeaders",
          null,
          "Claims passed on as headers: comma-separated `Header=claim`, e.g."
              + " `X-Authenticated-User=sub`.",
          SettingTypes::headerMap);
  public static final OidcSetting<TokenHeader> UPSTREAM_ID_TOKEN_HEADER =
      OidcSetting.define(
          "upstreamIdTokenHeader",
          "none",
          "A header that carries the session's ID token to the app and upstream, or `none`.",
          TokenHeader::parse);
  public static final OidcSetting<TokenHeader> UPSTREAM_USER_INFO_HEADER =
      OidcSetting.define(
          "upstreamUserInfoHeader",
          "none",
          "A header that carries the UserInfo claims (base64url JSON) to the app and upstream, or"
              + " `none`.",
          TokenHeader::parse);
  public static final OidcSetting<TokenHeader> UPSTREAM_ISSUER_HEADER =
      OidcSetting.define(
          "upstreamIssuerHeader",
          "X-Authenticated-Issuer",
          "A header that carries the caller's issuer (the `iss` it was verified against) to the app"
              + " and upstream, set when `additionalIssuers` is: the user is then the pair of issuer"
              + " and `sub`. `none` for none. Removed from client requests in any case.",
          UpstreamSettings::plainHeader);
  public static final OidcSetting<TokenHeader> UPSTREAM_CLIENT_HEADER =
      OidcSetting.define(
          "upstreamClientHeader",
          "X-Authenticated-Client",
          "A header that carries a machine caller's client id to the app and upstream: a token"
              + " without `sub` (client credentials) is named as its client (`client_id`, `azp` or"
              + " `cid`), never as a user. `none` for none. Removed from client requests in any"
              + " case.",
          UpstreamSettings::plainHeader);

  public static final OidcSetting<List<String>> STRIPPED_HEADERS =
      OidcSetting.define(
          "strippedHeaders",
          "X-Forwarded-User X-Remote-User Remote-User X-Auth-Request-User X-Auth-Request-Email"
              + " X-Auth-Request-Groups X-Auth-Request-Preferred-Username X-Access-Token X-Id-Token"
              + " X-Userinfo OIDC_CLAIM_* OIDC-Claim-* X-Oidc-*",
          "Client-sent headers removed besides those the filter sets, because apps commonly trust"
              + " them as identity; `*` at the end matches a prefix, names compare ignoring case"
              + " and with `_` read as `-`. `none` removes only the filter's own.",
          SettingTypes::headerPatterns);

  static UpstreamSettings from(SettingValues v) {
    Map<String, ClaimPath> claimHeaders = v.optional(UPSTREAM_CLAIM_HEADERS).orElse(Map.of());
    TokenHeader accessToken = v.get(UPSTREAM_ACCESS_TOKEN_HEADER);
    try {
      return new UpstreamSettings(
          new IdentityHeaders(
              accessToken,
              v.get(UPSTREAM_ID_TOKEN_HEADER),
              v.get(UPSTREAM_USER_INFO_HEADER),
              v.get(UPSTREAM_ISSUER_HEADER),
              v.get(UPSTREAM_CLIENT_HEADER),
              claimHeaders,
              stripped(v)));
    } catch (IllegalArgumentException e) {
      // HeaderNames' refusals always say why.
      throw new OidcConfigException(
          UPSTREAM_CLAIM_HEADERS.key(), Objects.requireNonNull(e.getMessage()));
    }
  }

  private static TokenHeader plainHeader(String text) {
    TokenHeader header = TokenHeader.parse(text);
    if (header.scheme() != null) {
      throw new IllegalArgumentException("write a header name, or none");
    }
    return header;
  }

  private static HeaderMatcher stripped(SettingValues v) {
    try {
      // A header that carries bearer tokens never reaches the app: it holds a credential.
      List<String> names = new java.util.ArrayList<>(v.get(STRIPPED_HEADERS));
      v.optional(LoginSettings.BEARER_TOKEN_HEADER).ifPresent(names::add);
      // Unless allowed (and then checked by the rules), a claimed method never reaches the app.
      if (v.get(PolicySettings.METHOD_OVERRIDE_HEADERS) == MethodOverrideHeaders.STRIP) {
        names.addAll(MethodOverrideHeaders.NAMES);
      }
      return new HeaderMatcher(names);
    } catch (IllegalArgumentException e) {
      // HeaderNames' refusals always say why.
      throw new OidcConfigException(STRIPPED_HEADERS.key(), Objects.requireNonNull(e.getMessage()));
    }
  }
}
