package dev.oidcgate.oidc;

import com.nimbusds.jwt.JWTParser;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.provider.IssuerLocation;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gate of {@code issuer} and one bearer-only gate per {@code additionalIssuers} entry, each
 * with its own discovery, keys and token cache. A bearer token goes to the gate its (unverified)
 * {@code iss} names, where it is then verified; any other token, opaque ones included, goes to the
 * main gate, which refuses a foreign issuer. So a key of one issuer never verifies a token claiming
 * another, and an issuer not on the list has no keys at all. Thread-safe.
 */
final class IssuerGates implements AutoCloseable {

  private final OidcGate main;
  private final Map<String, OidcGate> additional;

  private IssuerGates(OidcGate main, Map<String, OidcGate> additional) {
    this.main = main;
    this.additional = additional;
  }

  /** Starts the main gate, then one per additional issuer (an unreachable one does not stop it). */
  static IssuerGates start(OidcConfig config) {
    OidcGate main = OidcGate.start(config);
    Map<String, OidcGate> additional = new LinkedHashMap<>();
    try {
      for (IssuerLocation issuer : main.config().provider().additionalIssuers()) {
        additional.put(issuer.issuer(), OidcGate.start(main.config().forAdditionalIssuer(issuer)));
      }
    } catch (RuntimeException e) {
      additional.values().forEach(OidcGate::close);
      main.close();
      throw e;
    }
    return new IssuerGates(main, Map.copyOf(additional));
  }

  OidcGate main() {
    return main;
  }

  /** The gate that verifies this bearer token. */
  OidcGate forBearer(String token) {
    if (additional.isEmpty()) {
      return main;
    }
    try {
      Object iss = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
      OidcGate gate = iss == null ? null : additional.get(iss);
      return gate != null ? gate : main;
    } catch (ParseException e) {
      return main; // not a JWT: the main gate introspects it or refuses it
    }
  }

  @Override
  public void close() {
    additional.values().forEach(OidcGate::close);
    main.close();
  }
}
