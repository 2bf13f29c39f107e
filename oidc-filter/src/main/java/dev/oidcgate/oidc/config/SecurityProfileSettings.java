package dev.oidcgate.oidc.config;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.oidcgate.settings.SettingParsers;
import java.util.Map;
import java.util.Set;

/**
 * A security profile: one key that sets what a published profile asks of a client, and refuses at
 * start-up any explicit setting that contradicts it. {@code fapi2} is the FAPI 2.0 Security Profile
 * (final, 2025): PAR always, PKCE S256 (which every login uses anyway), {@code private_key_jwt} at
 * the token endpoint, DPoP-bound tokens, the RFC 9207 {@code iss} authorization response parameter
 * required, and only {@code PS256}, {@code ES256} or {@code EdDSA} signatures, both for what the
 * client signs and for what it accepts.
 *
 * @param fapi2 {@code securityProfile=fapi2}
 */
public record SecurityProfileSettings(boolean fapi2) {

  /** The algorithms FAPI 2.0 allows (Security Profile, section 5.4.1). */
  public static final Set<JWSAlgorithm> FAPI2_ALGORITHMS =
      Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);

  public static final OidcSetting<Boolean> SECURITY_PROFILE =
      OidcSetting.define(
          "securityProfile",
          "none",
          "`fapi2`: what the FAPI 2.0 Security Profile asks of a client, in one key:"
              + " `pushedAuthorizationRequests=always`, `tokenEndpointAuthMethod=private_key_jwt`,"
              + " `dpop=on`, the RFC 9207 `iss` response parameter required, and only `PS256`,"
              + " `ES256` or `EdDSA` (`allowedAlgorithms`, `clientSigningAlg`; an RSA client key"
              + " signs `PS256`). An explicit setting that contradicts it stops the filter, naming"
              + " that setting. `none`: no profile.",
          v ->
              SettingParsers.choice(v.trim(), new String[] {"none", "fapi2"}, s -> s)
                  .equals("fapi2"));

  /**
   * Reads the profile and, for {@code fapi2}, checks the explicit settings against it and sets its
   * values where nothing explicit is given (over a provider profile's defaults). Runs before the
   * other concerns read their values.
   *
   * @throws OidcConfigException naming the contradicting setting
   */
  static SecurityProfileSettings apply(SettingValues v) {
    boolean fapi2 = v.get(SECURITY_PROFILE);
    if (!fapi2) {
      return new SecurityProfileSettings(false);
    }
    if (v.isExplicit(AuthorizationRequestSettings.PUSHED_AUTHORIZATION_REQUESTS)
        && v.get(AuthorizationRequestSettings.PUSHED_AUTHORIZATION_REQUESTS)
            != AuthorizationRequestSettings.PushedRequests.ALWAYS) {
      throw contradicts(AuthorizationRequestSettings.PUSHED_AUTHORIZATION_REQUESTS, "always");
    }
    if (v.isExplicit(ClientSettings.TOKEN_ENDPOINT_AUTH_METHOD)
        && !v.get(ClientSettings.TOKEN_ENDPOINT_AUTH_METHOD)
            .equals(ClientAuthenticationMethod.PRIVATE_KEY_JWT)) {
      throw contradicts(ClientSettings.TOKEN_ENDPOINT_AUTH_METHOD, "private_key_jwt");
    }
    if (v.isExplicit(DpopClientSettings.DPOP) && !v.get(DpopClientSettings.DPOP)) {
      throw contradicts(DpopClientSettings.DPOP, "on");
    }
    if (v.isExplicit(TokenSettings.ALLOWED_ALGORITHMS)
        && !FAPI2_ALGORITHMS.containsAll(v.get(TokenSettings.ALLOWED_ALGORITHMS))) {
      throw contradicts(TokenSettings.ALLOWED_ALGORITHMS, "PS256, ES256 or EdDSA only");
    }
    if (v.isExplicit(ClientKeySettings.CLIENT_SIGNING_ALG)
        && !FAPI2_ALGORITHMS.contains(v.get(ClientKeySettings.CLIENT_SIGNING_ALG))) {
      throw contradicts(ClientKeySettings.CLIENT_SIGNING_ALG, "PS256, ES256 or EdDSA");
    }
    v.putProfileDefaults(
        Map.<OidcSetting<?>, String>of(
            AuthorizationRequestSettings.PUSHED_AUTHORIZATION_REQUESTS, "always",
            ClientSettings.TOKEN_ENDPOINT_AUTH_METHOD, "private_key_jwt",
            DpopClientSettings.DPOP, "on",
            TokenSettings.ALLOWED_ALGORITHMS, "PS256 ES256 EdDSA"));
    return new SecurityProfileSettings(true);
  }

  /** Whether {@code fapi2} is set, for the concerns that adapt a default to it. */
  static boolean isFapi2(SettingValues v) {
    return v.get(SECURITY_PROFILE);
  }

  private static OidcConfigException contradicts(OidcSetting<?> setting, String fapi2Wants) {
    return new OidcConfigException(
        setting.key(), "contradicts securityProfile=fapi2, which needs " + fapi2Wants);
  }
}
