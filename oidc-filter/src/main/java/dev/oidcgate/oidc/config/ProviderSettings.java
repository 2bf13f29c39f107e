package dev.oidcgate.oidc.config;

import dev.oidcgate.oidc.provider.IssuerLocation;
import dev.oidcgate.settings.SettingParsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which identity provider, and how often its metadata and keys are read again.
 *
 * @param issuer the issuer and where its discovery document is
 * @param additionalIssuers further issuers whose bearer tokens are accepted, each with its own
 *     discovery and keys
 * @param allowedTenants at an Entra ID multi-tenant issuer, the tenant ids ({@code tid}) whose
 *     tokens are accepted
 * @param profile the provider whose quirks are the defaults ({@code provider}, or detected)
 * @param profileFromDiscovery whether the discovery document may still name the profile: {@code
 *     provider} is unset and the issuer URL named none
 * @param jwksMinRefreshInterval one key fetch is earned per this interval (the refill of a token
 *     bucket of {@code jwksRefetchBurst}); the key is kept from when it was a fixed window
 * @param jwksRetryMaxInterval the longest pause between key fetches while the endpoint fails
 */
public record ProviderSettings(
    IssuerLocation issuer,
    List<IssuerLocation> additionalIssuers,
    List<String> allowedTenants,
    ProviderProfile profile,
    boolean profileFromDiscovery,
    Duration discoveryRefreshInterval,
    Duration discoveryRetryMaxInterval,
    Duration jwksRefreshInterval,
    Duration jwksMinRefreshInterval,
    int jwksRefetchBurst,
    Duration jwksRetryMaxInterval) {
  public static final OidcSetting<IssuerLocation> ISSUER =
      OidcSetting.define(
          "issuer",
          null,
          "The issuer URL, or its `/.well-known/openid-configuration` URL. Required.",
          IssuerLocation::parse);
  public static final OidcSetting<List<IssuerLocation>> ADDITIONAL_ISSUERS =
      OidcSetting.define(
          "additionalIssuers",
          null,
          "Further issuers (or their discovery URLs), comma-separated, whose access tokens are"
              + " accepted as bearer tokens, each checked against its own discovery and keys and the"
              + " same client id and audience; a token names its issuer in `iss`. Access rules admit"
              + " their callers only where they name them (`ruleIssuers`, `issuer=` in `pathRules`)."
              + " Browsers log in only at `issuer` and at those `issuerClients` names.",
          ProviderSettings::issuers);
  public static final OidcSetting<List<String>> ALLOWED_TENANTS =
      OidcSetting.define(
          "allowedTenants",
          null,
          "Entra ID tenant ids, comma-separated, whose tokens are accepted when `issuer` is"
              + " Entra's multi-tenant endpoint (`.../organizations/v2.0` or `.../common/v2.0`,"
              + " whose discovery names the issuer `.../{tenantid}/v2.0`): a token's `tid` must be"
              + " listed and its `iss` must be the template with its own `tid`. Required there.",
          SettingParsers::list);
  public static final OidcSetting<ProviderProfile> PROVIDER =
      OidcSetting.define(
          "provider",
          null,
          "Whose quirks to apply as defaults: `cognito`, `entra`, `keycloak`, `okta`, `auth0`,"
              + " `google` or `generic` (none); see docs/providers. Default: detected from the issuer"
              + " URL, else from the discovery document, else `generic`.",
          v -> SettingParsers.choice(v, ProviderProfile.values(), ProviderProfile::text));
  public static final OidcSetting<Duration> DISCOVERY_REFRESH_INTERVAL =
      OidcSetting.define(
          "discoveryRefreshInterval",
          "1h",
          "How often the provider metadata is read again; a failed read keeps the last good one.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> DISCOVERY_RETRY_MAX_INTERVAL =
      OidcSetting.define(
          "discoveryRetryMaxInterval",
          "60s",
          "While the provider is unreachable, discovery is retried with backoff from 1s up to this"
              + " interval.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> JWKS_REFRESH_INTERVAL =
      OidcSetting.define(
          "jwksRefreshInterval",
          "1h",
          "How often the signing keys are read again in the background; a failed read keeps the"
              + " last good keys.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> JWKS_MIN_REFRESH_INTERVAL =
      OidcSetting.define(
          "jwksMinRefreshInterval",
          "10s",
          "Key fetches (for an unknown `kid`, or the periodic refresh) earn one permit per this"
              + " interval, up to `jwksRefetchBurst`; one fetch is shared by all requests waiting"
              + " for it.",
          SettingParsers::duration);
  public static final OidcSetting<Integer> JWKS_REFETCH_BURST =
      OidcSetting.define(
          "jwksRefetchBurst",
          "5",
          "How many key fetches may follow one another at once, so a key rotated just after a"
              + " fetch is found at once.",
          SettingParsers::positiveInt);
  public static final OidcSetting<Duration> JWKS_RETRY_MAX_INTERVAL =
      OidcSetting.define(
          "jwksRetryMaxInterval",
          "60s",
          "While the key endpoint fails, fetches pause with backoff from 1s up to this interval;"
              + " meanwhile an unknown `kid` is refused at once.",
          SettingParsers::duration);

  public ProviderSettings {
    if (issuer == null) {
      throw new OidcConfigException(ISSUER.key(), "is required");
    }
    additionalIssuers = List.copyOf(additionalIssuers);
    for (IssuerLocation other : additionalIssuers) {
      if (other.issuer().equals(issuer.issuer())) {
        throw new OidcConfigException(ADDITIONAL_ISSUERS.key(), "repeats issuer " + other);
      }
      if (other.tenantTemplate().isPresent()) {
        // Its tokens name their tenant's issuer, not this one, so none would find its keys.
        throw new OidcConfigException(
            ADDITIONAL_ISSUERS.key(),
            "names the multi-tenant endpoint " + other + ": make it issuer, with allowedTenants");
      }
    }
    allowedTenants = List.copyOf(allowedTenants);
    if (issuer.tenantTemplate().isPresent() && allowedTenants.isEmpty()) {
      // Any Entra tenant can get a token from the multi-tenant endpoint: without a list, anyone.
      throw new OidcConfigException(
          ALLOWED_TENANTS.key(), "is required with the multi-tenant issuer " + issuer);
    }
    Objects.requireNonNull(profile);
    Objects.requireNonNull(discoveryRefreshInterval);
    Objects.requireNonNull(discoveryRetryMaxInterval);
    Objects.requireNonNull(jwksRefreshInterval);
    if (jwksMinRefreshInterval.isZero()) {
      throw new OidcConfigException(JWKS_MIN_REFRESH_INTERVAL.key(), "must be more than 0");
    }
    Objects.requireNonNull(jwksRetryMaxInterval);
  }

  private static List<IssuerLocation> issuers(String text) {
    List<IssuerLocation> out = new ArrayList<>();
    for (String entry : SettingParsers.list(text)) {
      IssuerLocation issuer = IssuerLocation.parse(entry);
      if (out.stream().anyMatch(i -> i.issuer().equals(issuer.issuer()))) {
        throw new IllegalArgumentException("names " + issuer + " twice");
      }
      out.add(issuer);
    }
    return List.copyOf(out);
  }

  /**
   * The profile {@code provider} names, else the one the issuer URL names, else {@link
   * ProviderProfile#GENERIC}; its defaults are added to {@code v}.
   */
  static ProviderProfile applyProfile(SettingValues v) {
    IssuerLocation issuer = v.get(ISSUER);
    ProviderProfile profile =
        v.optional(PROVIDER)
            .or(
                () ->
                    issuer == null ? Optional.empty() : ProviderProfile.fromIssuer(issuer.issuer()))
            .orElse(ProviderProfile.GENERIC);
    if (issuer != null) {
      v.putProfileDefaults(profile.defaults(v));
    }
    return profile;
  }

  static ProviderSettings from(SettingValues v, ProviderProfile profile) {
    IssuerLocation issuer = v.get(ISSUER);
    return new ProviderSettings(
        issuer,
        v.optional(ADDITIONAL_ISSUERS).orElse(List.of()),
        v.optional(ALLOWED_TENANTS).orElse(List.of()),
        profile,
        !v.isExplicit(PROVIDER)
            && issuer != null
            && ProviderProfile.fromIssuer(issuer.issuer()).isEmpty(),
        v.get(DISCOVERY_REFRESH_INTERVAL),
        v.get(DISCOVERY_RETRY_MAX_INTERVAL),
        v.get(JWKS_REFRESH_INTERVAL),
        v.get(JWKS_MIN_REFRESH_INTERVAL),
        v.get(JWKS_REFETCH_BURST),
        v.get(JWKS_RETRY_MAX_INTERVAL));
  }
}
