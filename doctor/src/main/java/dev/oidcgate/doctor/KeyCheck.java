package dev.oidcgate.doctor;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.provider.JwksCache;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * The "keys" check: jwks_uri answers, and the filter's own {@link JwksCache} finds a public key for
 * the ID token signing algorithms the IdP advertises, as it will when it checks a token.
 */
final class KeyCheck {

  private final Report report;
  private final IdpTransport transport;

  KeyCheck(Report report, IdpTransport transport) {
    this.report = report;
    this.transport = transport;
  }

  /**
   * @param scheduler runs the cache's refresh; the caller shuts it down
   */
  void check(OIDCProviderMetadata metadata, ScheduledExecutorService scheduler) {
    URI jwksUri = metadata.getJWKSetURI();
    // By hand first: the cache would hide the status and the reason it cannot connect.
    try {
      HTTPResponse r = IdpGet.json(transport, jwksUri);
      if (r.getStatusCode() != 200) {
        report.fail(
            "keys",
            "jwks_uri " + jwksUri + " answered HTTP " + r.getStatusCode(),
            "the IdP publishes its keys at a URL that does not serve them: check jwks_uri in the"
                + " discovery document and the IdP's public URL (Keycloak: KC_HOSTNAME)");
        return;
      }
    } catch (IOException e) {
      report.fail(
          "keys",
          "jwks_uri " + jwksUri + " cannot be reached: " + e.getMessage(),
          "the app must reach jwks_uri: if the IdP names an internal host or port there, set"
              + " its public URL (Keycloak: KC_HOSTNAME); else open the way (firewall, proxy)");
      return;
    }
    JwksCache keys =
        new JwksCache(
            metadata::getJWKSetURI,
            transport,
            Clock.systemUTC(),
            new JwksCache.Timing(
                Duration.ofHours(1), Duration.ofSeconds(1), 1, Duration.ofMinutes(1)),
            scheduler);
    List<JWSAlgorithm> algs =
        metadata.getIDTokenJWSAlgs() == null
            ? List.of(JWSAlgorithm.RS256)
            : metadata.getIDTokenJWSAlgs();
    List<String> usable = new ArrayList<>();
    List<String> kids = new ArrayList<>();
    for (JWSAlgorithm alg : algs) {
      // The filter never accepts these for ID tokens: no public key to find.
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) || alg.getName().equals("none")) {
        continue;
      }
      try {
        List<JWK> fit = keys.candidates(new JWSHeader(alg));
        if (!fit.isEmpty()) {
          usable.add(alg.getName());
          for (JWK k : fit) {
            String kid = k.getKeyID() == null ? "(no kid)" : k.getKeyID();
            if (!kids.contains(kid)) {
              kids.add(kid);
            }
          }
        }
      } catch (OidcErrorException e) {
        report.fail(
            "keys",
            "the key set at " + jwksUri + " cannot be read",
            "jwks_uri must answer a JSON Web Key Set (RFC 7517 §5)");
        return;
      }
    }
    if (usable.isEmpty()) {
      report.fail(
          "keys",
          "no public key at "
              + jwksUri
              + " fits the signing algorithms "
              + algs.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", ")),
          "give the realm or tenant an asymmetric signing key (RS256 or ES256) and publish it");
      return;
    }
    report.pass(
        "keys",
        kids.size()
            + (kids.size() == 1 ? " signing key" : " signing keys")
            + " ("
            + String.join(", ", kids)
            + "), usable for "
            + String.join(", ", usable));
  }
}
