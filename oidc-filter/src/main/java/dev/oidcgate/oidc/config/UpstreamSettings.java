package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.oidc.identity.IdentityHeaders;
import dev.oidcgate.oidc.identity.TokenHeader;
import java.util.Map;

/**
 * The identity passed on to the app and to upstreams, as headers.
 *
 * @param identityHeaders the headers set for a caller, and the names stripped from clients
 */
public record UpstreamSettings(IdentityHeaders identityHeaders) {

  static UpstreamSettings from(SettingValues v) {
    Map<String, ClaimPath> claimHeaders =
        v.optional(OidcSetting.UPSTREAM_CLAIM_HEADERS).orElse(Map.of());
    TokenHeader accessToken = v.get(OidcSetting.UPSTREAM_ACCESS_TOKEN_HEADER);
    try {
      return new UpstreamSettings(
          new IdentityHeaders(
              accessToken,
              v.get(OidcSetting.UPSTREAM_ID_TOKEN_HEADER),
              v.get(OidcSetting.UPSTREAM_USER_INFO_HEADER),
              claimHeaders));
    } catch (IllegalArgumentException e) {
      throw new OidcConfigException(OidcSetting.UPSTREAM_CLAIM_HEADERS.key(), e.getMessage());
    }
  }
}
