package dev.oidcgate.oidc.config;

import dev.oidcgate.settings.SettingParsers;

/**
 * DPoP (RFC 9449) where the filter is the client: each session gets its own key pair, the token,
 * UserInfo and revocation requests carry proofs, and a DPoP-bound access token goes on with a fresh
 * proof for the upstream request.
 *
 * @param enabled {@code dpop=on}
 */
public record DpopClientSettings(boolean enabled) {
  public static final OidcSetting<Boolean> DPOP =
      OidcSetting.define(
          "dpop",
          "off",
          "`on` makes the filter a DPoP client (RFC 9449): one EC P-256 key pair per session, kept"
              + " in the session; DPoP proofs on the code exchange, refresh, UserInfo and"
              + " revocation, the IdP's `DPoP-Nonce` honoured (retried once); a DPoP-bound access"
              + " token goes to the upstream as `Authorization: DPoP` with a fresh proof for the"
              + " upstream request (see High-security login). `off`: no proofs.",
          v -> SettingParsers.choice(v, new String[] {"off", "on"}, s -> s).equals("on"));

  static DpopClientSettings from(SettingValues v) {
    return new DpopClientSettings(v.get(DPOP));
  }
}
