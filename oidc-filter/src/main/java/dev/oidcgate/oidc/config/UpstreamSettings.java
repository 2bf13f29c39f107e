package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.identity.HeaderMatcher;
import dev.oidcgate.oidc.identity.IdentityHeaders;
import dev.oidcgate.oidc.identity.TokenHeader;
import dev.oidcgate.oidc.upstream.UpstreamToken;
import dev.oidcgate.settings.SettingParsers;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The identity passed on to the app and to upstreams, as headers.
 *
 * @param identityHeaders the headers set for a caller, and the names stripped from clients
 * @param upstreamToken which token goes upstream where no {@code pathRules} line says otherwise
 */
public record UpstreamSettings(IdentityHeaders identityHeaders, UpstreamToken upstreamToken) {

  /** Identity headers, with the caller's own token going upstream. */
  public UpstreamSettings(IdentityHeaders identityHeaders) {
    this(identityHeaders, UpstreamToken.CALLER);
  }

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

  public static final OidcSetting<UpstreamToken.Kind> UPSTREAM_TOKEN =
      OidcSetting.define(
          "upstreamToken",
          "caller",
          "Which token goes upstream in `upstreamAccessTokenHeader`: `caller` (the caller's own),"
              + " `exchange` (RFC 8693 token exchange of the caller's token at the token endpoint,"
              + " for `upstreamAudience`/`upstreamResource`/`upstreamScope`), `client` (the app's"
              + " own client-credentials token for them) or `none`. A `pathRules` line may choose"
              + " otherwise with `upstream_token=`. A failed exchange or grant is 502.",
          UpstreamToken.Kind::parse);
  public static final OidcSetting<List<String>> UPSTREAM_AUDIENCE =
      OidcSetting.define(
          "upstreamAudience",
          null,
          "The `audience` asked for in a token exchange (and, for `client`, sent as Auth0's"
              + " `audience`): space- or comma-separated; a `pathRules` line's"
              + " `upstream_audience=` replaces it.",
          SettingParsers::words);
  public static final OidcSetting<List<String>> UPSTREAM_RESOURCE =
      OidcSetting.define(
          "upstreamResource",
          null,
          "The RFC 8707 `resource` URIs asked for in a token exchange or client-credentials"
              + " grant: space- or comma-separated absolute URIs; a `pathRules` line's"
              + " `upstream_resource=` replaces it.",
          UpstreamSettings::resources);
  public static final OidcSetting<List<String>> UPSTREAM_SCOPE =
      OidcSetting.define(
          "upstreamScope",
          null,
          "The scope asked for in a token exchange or client-credentials grant: space- or"
              + " comma-separated; a `pathRules` line's `upstream_scope=` replaces it.",
          SettingParsers::words);

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
              stripped(v)),
          upstreamToken(v, accessToken));
    } catch (IllegalArgumentException e) {
      // HeaderNames' refusals always say why.
      throw new OidcConfigException(
          UPSTREAM_CLAIM_HEADERS.key(), Objects.requireNonNull(e.getMessage()));
    }
  }

  private static UpstreamToken upstreamToken(SettingValues v, TokenHeader accessToken) {
    UpstreamToken token =
        new UpstreamToken(
            v.get(UPSTREAM_TOKEN),
            v.optional(UPSTREAM_AUDIENCE).orElse(List.of()),
            v.optional(UPSTREAM_RESOURCE).orElse(List.of()),
            v.optional(UPSTREAM_SCOPE).orElse(List.of()));
    if (token.replacesCallerToken()
        && token.kindOrCaller() != UpstreamToken.Kind.NONE
        && accessToken.headerName().isEmpty()) {
      throw new OidcConfigException(
          UPSTREAM_TOKEN.key(),
          "is " + token.kindOrCaller() + " but upstreamAccessTokenHeader is none: name a header");
    }
    UpstreamToken.Kind kind = token.kindOrCaller();
    if ((kind == UpstreamToken.Kind.EXCHANGE || kind == UpstreamToken.Kind.CLIENT)
        && v.optional(ClientSettings.CLIENT_ID).isEmpty()) {
      throw new OidcConfigException(
          UPSTREAM_TOKEN.key(), "is " + kind + ", which needs clientId and its credentials");
    }
    return token;
  }

  private static List<String> resources(String text) {
    List<String> out = SettingParsers.words(text);
    // UpstreamToken checks each is an absolute URI without a fragment.
    Object unused = new UpstreamToken(null, List.of(), out, List.of());
    return out;
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
