package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.authz.IssuerScope;
import dev.oidcgate.oidc.authz.PathRule;
import dev.oidcgate.oidc.provider.IssuerLocation;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the issuers that {@code ruleIssuers} and a {@code pathRules} line's {@code issuer=} name
 * to issuer identifiers: an {@code issuerClients} name, an issuer URL ({@code issuer} or one of
 * {@code additionalIssuers}, also as its discovery URL), or {@code any}. Built from the main
 * filter's configuration, which alone knows every issuer. Immutable.
 */
public final class IssuerNames {

  private final String mainIssuer;
  private final Map<String, String> issuersByName = new HashMap<>();

  private IssuerNames(OidcConfig config) {
    this.mainIssuer = config.provider().issuer().issuer();
    issuersByName.put(mainIssuer, mainIssuer);
    for (IssuerLocation issuer : config.provider().additionalIssuers()) {
      issuersByName.put(issuer.issuer(), issuer.issuer());
    }
    for (IssuerClient client : config.client().issuerClients()) {
      issuersByName.put(client.name(), client.issuer().issuer());
    }
  }

  /**
   * The names of the main filter's configuration, every one of them checked.
   *
   * @throws OidcConfigException naming {@code ruleIssuers} or {@code pathRules} for a name that is
   *     no issuer of this filter
   */
  public static IssuerNames of(OidcConfig config) {
    IssuerNames names = new IssuerNames(config);
    names.scope(config.policy().ruleIssuers(), PolicySettings.RULE_ISSUERS.key());
    for (PathRule rule : config.policy().paths().rules()) {
      names.scope(rule.issuers(), PolicySettings.PATH_RULES.key());
    }
    return names;
  }

  /** The issuers the filter-wide rules, and the lines that name none, admit. */
  public IssuerScope byDefault(PolicySettings policy) {
    return scope(policy.ruleIssuers(), PolicySettings.RULE_ISSUERS.key());
  }

  /** The issuers a path rule admits: those it names, else the default. */
  public IssuerScope of(PathRule rule, PolicySettings policy) {
    return rule.issuers().isEmpty()
        ? byDefault(policy)
        : scope(rule.issuers(), PolicySettings.PATH_RULES.key());
  }

  private IssuerScope scope(Collection<String> words, String key) {
    if (words.isEmpty()) {
      return IssuerScope.of(Set.of(mainIssuer));
    }
    Set<String> issuers = new LinkedHashSet<>();
    for (String word : words) {
      if (word.equals("any")) {
        return IssuerScope.ANY;
      }
      String issuer = issuersByName.get(word);
      if (issuer == null) {
        issuer = issuersByName.get(discoveryToIssuer(word));
      }
      if (issuer == null) {
        throw new OidcConfigException(
            key,
            "issuer "
                + word
                + " is neither issuer, one of additionalIssuers nor an issuerClients name;"
                + " write one of those, or any");
      }
      issuers.add(issuer);
    }
    return IssuerScope.of(issuers);
  }

  private static String discoveryToIssuer(String word) {
    try {
      return IssuerLocation.parse(word).issuer();
    } catch (IllegalArgumentException e) {
      return word;
    }
  }
}
