package dev.oidcgate.oidc.token;

import dev.oidcgate.oidc.config.ProviderSettings;
import dev.oidcgate.oidc.provider.IssuerLocation;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which {@code iss} a token must carry: exactly the configured issuer; or, at an Entra ID
 * multi-tenant endpoint, the issuer template with {@code {tenantid}} replaced by the token's own
 * {@code tid}, which must be on {@code allowedTenants} (Microsoft identity platform, "Claims
 * validation": any tenant can obtain a token from the multi-tenant endpoint, so the tenant is the
 * check). Immutable and thread-safe.
 */
public final class IssuerRule {

  private final String issuer;
  private final @Nullable String template;
  private final Set<String> tenants;

  private IssuerRule(String issuer, @Nullable String template, Collection<String> tenants) {
    this.issuer = issuer;
    this.template = template;
    this.tenants = Set.copyOf(tenants);
  }

  /** The token's {@code iss} must equal {@code issuer}. */
  public static IssuerRule exactly(String issuer) {
    return new IssuerRule(issuer, null, Set.of());
  }

  /** The rule of the configured issuer: the tenant template when it is a multi-tenant endpoint. */
  public static IssuerRule of(ProviderSettings provider) {
    return provider
        .issuer()
        .tenantTemplate()
        .map(t -> new IssuerRule(provider.issuer().issuer(), t, provider.allowedTenants()))
        .orElseGet(() -> exactly(provider.issuer().issuer()));
  }

  /**
   * @param requireIss whether a token without {@code iss} is refused (an introspection response may
   *     leave it out; with the tenant template it never may, the tenant being the check)
   */
  boolean accepts(Map<String, Object> claims, boolean requireIss) {
    Object iss = claims.get("iss");
    if (template == null) {
      return iss == null ? !requireIss : issuer.equals(iss);
    }
    Object tid = claims.get("tid");
    return tid instanceof String
        && tenants.contains(tid)
        && template.replace(IssuerLocation.TENANT_PLACEHOLDER, (String) tid).equals(iss);
  }
}
