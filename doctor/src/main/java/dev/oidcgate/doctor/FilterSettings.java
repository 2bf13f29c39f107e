package dev.oidcgate.doctor;

import dev.oidcgate.oidc.config.ProviderProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The filter's init params for this IdP, from the command line and what discovery found. The same
 * map configures the filter's own classes for the client check and is printed at the end, so what
 * the doctor tested is what it prints.
 */
final class FilterSettings {

  private FilterSettings() {}

  /**
   * @param issuerMatches whether the issuer was given as the issuer (not as a discovery URL)
   * @param named the issuer the discovery document names
   * @return the settings in the order printed; the client check may add to it
   */
  static Map<String, String> of(
      Options options, boolean issuerMatches, String named, ProviderProfile profile) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("issuer", issuerMatches ? named : options.issuer());
    options.clientId().ifPresent(id -> settings.put("clientId", id));
    options.clientSecret().ifPresent(s -> settings.put("clientSecret", s));
    if (options.clientKey().isPresent()) {
      // The key decides: private_key_jwt at the token and introspection endpoints alike.
      settings.put("clientSigningKey", options.clientKey().get());
      options.clientKeyPassword().ifPresent(p -> settings.put("clientSigningKeyPassword", p));
      settings.put("tokenEndpointAuthMethod", "private_key_jwt");
      settings.put("introspectionAuthMethod", "private_key_jwt");
    }
    if (profile != ProviderProfile.GENERIC) {
      settings.put("provider", profile.text());
    }
    options.appUrl().ifPresent(u -> settings.put("externalUrl", u));
    return settings;
  }
}
