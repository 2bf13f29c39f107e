package dev.oidcgate.doctor;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.IssuerLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.minidev.json.JSONObject;
import org.jspecify.annotations.Nullable;

/**
 * The texts for a wrong issuer. Kept apart from {@link DiscoveryCheck} because the usual mistakes
 * (trailing slash, a .well-known URL given as the issuer) are worth trying against the IdP, so the
 * fix can name the issuer that does answer instead of a generic hint.
 */
final class IssuerFixes {

  private final IdpTransport transport;

  IssuerFixes(IdpTransport transport) {
    this.transport = transport;
  }

  /** The issuer a discovery answer names; null when it is no JSON object with a string issuer. */
  static @Nullable String namedIssuer(HTTPResponse response) {
    try {
      JSONObject json = response.getBodyAsJSONObject();
      Object issuer = json.get("issuer");
      return issuer instanceof String s ? s : null;
    } catch (ParseException e) {
      return null;
    }
  }

  /** The fix for a discovery URL that does not answer: the usual mistakes, tried. */
  String discoveryFix(IssuerLocation location) {
    String issuer = location.issuer();
    List<String> candidates = new ArrayList<>();
    candidates.add(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer + "/");
    int wellKnown = issuer.indexOf("/.well-known/");
    if (wellKnown > 0) {
      candidates.add(0, issuer.substring(0, wellKnown));
    }
    for (String candidate : candidates) {
      try {
        IssuerLocation other = IssuerLocation.parse(candidate);
        HTTPResponse r = IdpGet.json(transport, other.discoveryUri());
        String named = r.getStatusCode() == 200 ? namedIssuer(r) : null;
        if (named != null) {
          return "the IdP answers at "
              + other.discoveryUri()
              + ": set issuer to "
              + named
              + (wellKnown > 0
                  ? " (the issuer, not a .well-known URL inside it)"
                  : " (the trailing slash differs)");
        }
      } catch (IOException | IllegalArgumentException e) {
        // not that one either
      }
    }
    return "check the issuer in the IdP's console (Keycloak: http(s)://host/realms/<realm>; Entra"
        + " ID: https://login.microsoftonline.com/<tenant>/v2.0); it is the URL before"
        + " /.well-known/openid-configuration";
  }

  static String issuerMismatch(String configured, String named) {
    String trimmedA =
        configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    String trimmedB = named.endsWith("/") ? named.substring(0, named.length() - 1) : named;
    if (trimmedA.equals(trimmedB)) {
      return "the document names "
          + named
          + ", which differs from "
          + configured
          + " by the trailing slash; tokens carry the IdP's spelling and the filter compares"
          + " exactly";
    }
    return "the document names " + named + ", not " + configured;
  }

  static String issuerFix(String named) {
    return "set issuer to exactly "
        + named
        + " if browsers and the app reach the IdP there; if that host is wrong, the IdP does not"
        + " know its public URL (Keycloak: KC_HOSTNAME; behind a proxy: its X-Forwarded-*"
        + " headers)";
  }
}
