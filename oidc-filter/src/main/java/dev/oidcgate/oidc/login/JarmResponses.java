package dev.oidcgate.oidc.login;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.jarm.JARMValidator;
import dev.oidcgate.oidc.error.OidcErrorException;
import dev.oidcgate.oidc.error.OidcErrors;
import dev.oidcgate.oidc.provider.JwksCache;
import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens a JWT-secured authorization response (JARM, OpenID FAPI JARM §4): the {@code response}
 * parameter's JWT is checked with Nimbus's {@link JARMValidator} (signature with the provider's
 * keys from the key cache and an allowed asymmetric algorithm, {@code iss} the issuer, {@code aud}
 * the client id, {@code exp} in time) before anything in it is used. Encrypted (JWE) responses are
 * not supported: they are refused like any other response that does not verify. Thread-safe.
 */
final class JarmResponses {

  /** The authorization response parameters the login reads from the JWT's claims. */
  private static final List<String> PARAMS =
      List.of("state", "code", "error", "error_description", "iss");

  private final Issuer issuer;
  private final ClientID clientId;
  private final JwksCache keys;
  private final Set<JWSAlgorithm> algorithms;
  private final int skewSeconds;

  JarmResponses(
      String issuer,
      String clientId,
      JwksCache keys,
      Set<JWSAlgorithm> algorithms,
      Duration clockSkew) {
    this.issuer = new Issuer(issuer);
    this.clientId = new ClientID(clientId);
    this.keys = keys;
    this.algorithms = Set.copyOf(algorithms);
    this.skewSeconds = (int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds());
  }

  /**
   * The response's parameters from the verified JWT.
   *
   * @param response the {@code response} parameter as sent
   * @throws OidcErrorException 400 naming what failed (never the JWT itself); 503 when the
   *     provider's keys cannot be read
   */
  Map<String, String> open(String response) throws OidcErrorException {
    JARMValidator validator = new JARMValidator(issuer, clientId, this::keysFor, null);
    validator.setMaxClockSkew(skewSeconds);
    JWTClaimsSet claims;
    try {
      claims = validator.validate(response);
    } catch (BadJOSEException e) {
      throw OidcErrors.invalidRequest(reason(e));
    } catch (JOSEException | RuntimeException e) {
      throw OidcErrors.invalidRequest("The signed login response could not be verified");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : PARAMS) {
      Object value = claims.getClaim(name);
      if (value instanceof String) {
        params.put(name, (String) value);
      }
    }
    return params;
  }

  /** What failed, in words that quote nothing from the response. */
  private static String reason(BadJOSEException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("xpired")) {
      return "The signed login response has expired";
    }
    if (m.contains("aud") || m.contains("audience")) {
      return "The signed login response is not meant for this client";
    }
    if (m.contains("iss") || m.contains("issuer")) {
      return "The signed login response comes from an unexpected issuer";
    }
    if (m.contains("nsecured") || m.contains("plain") || m.contains("nsigned")) {
      return "The login response is not signed";
    }
    return "The signed login response has an invalid signature or key";
  }

  /** The provider's keys that may have signed it, only for an allowed asymmetric algorithm. */
  private List<Key> keysFor(JWSHeader header, SecurityContext context) throws KeySourceException {
    if (!algorithms.contains(header.getAlgorithm())) {
      return List.of();
    }
    List<JWK> candidates;
    try {
      candidates = keys.candidates(header);
    } catch (OidcErrorException e) {
      throw new KeySourceException("The identity provider's keys cannot be read");
    }
    List<Key> out = new ArrayList<>();
    for (JWK jwk : candidates) {
      try {
        if (jwk instanceof RSAKey) {
          out.add(((RSAKey) jwk).toPublicKey());
        } else if (jwk instanceof ECKey) {
          out.add(((ECKey) jwk).toPublicKey());
        }
      } catch (JOSEException e) {
        // a key that cannot be used is just not a candidate
      }
    }
    return out;
  }
}
