package dev.oidcgate.doctor;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.ProviderProfile;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The logout checks: end-session (also from the provider profile, as the filter falls back to it),
 * revocation, introspection, back- and front-channel logout. Each missing endpoint says what the
 * app loses without it, since none of them stops a login.
 */
final class LogoutCheck {

  private final Report report;
  private final AppUrls urls;

  LogoutCheck(Report report, AppUrls urls) {
    this.report = report;
    this.urls = urls;
  }

  void check(OIDCProviderMetadata metadata, ProviderProfile profile) {
    URI endSession = metadata.getEndSessionEndpointURI();
    if (endSession != null) {
      report.pass("end-session endpoint", endSession.toString());
    } else {
      Optional<Map.Entry<URI, String>> fallback =
          profile.logoutFallback(
              metadata.getAuthorizationEndpointURI(), metadata.getIssuer().getValue());
      if (fallback.isPresent()) {
        report.pass(
            "end-session endpoint",
            "not in discovery; the "
                + profile.text()
                + " profile logs out at "
                + fallback.get().getKey());
      } else {
        report.warn(
            "end-session endpoint",
            "none: logout ends the app's session only, the user stays signed in at the IdP",
            "set logoutEndpoint if the IdP has a logout URL");
      }
    }
    URI revocation = metadata.getRevocationEndpointURI();
    if (revocation != null) {
      report.pass("revocation endpoint", revocation + " (logout revokes the refresh token)");
    } else {
      report.warn(
          "revocation endpoint",
          "none: logout cannot revoke the refresh token",
          "none at the app; the refresh token lives until it expires at the IdP");
    }
    URI introspection = metadata.getIntrospectionEndpointURI();
    if (introspection != null) {
      report.pass(
          "introspection endpoint", introspection + " (opaque bearer tokens can be checked)");
    } else {
      report.info(
          "introspection endpoint", "none: only JWT bearer tokens can be checked, not opaque ones");
    }
    if (metadata.supportsBackChannelLogout()) {
      report.pass(
          "back-channel logout",
          "supported"
              + (metadata.supportsBackChannelLogoutSession() ? ", with sid" : ", without sid")
              + ": register "
              + urls.backchannelLogout()
              + " as the client's back-channel logout URL");
    } else {
      report.info(
          "back-channel logout",
          "not supported: a session ends at its timeout, not when the user logs out elsewhere");
    }
    report.info(
        "front-channel logout",
        (metadata.supportsFrontChannelLogout() ? "supported" : "not supported")
            + " (the filter uses back-channel logout)");
  }
}
