package dev.oidcgate.oidc.config;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import dev.oidcgate.oidc.authz.ClaimPath;
import dev.oidcgate.settings.SettingParsers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How access tokens are validated (RFC 6750 resource server): locally for JWTs, by introspection
 * (RFC 7662) for opaque tokens.
 *
 * @param audience the audiences a token is accepted for: {@code audience}, or else the client id
 * @param accessTokenTypes empty when any {@code typ} (or none) is accepted
 * @param accessTokenClaims claims every access token must carry with these values, from the
 *     provider profile (Cognito's {@code token_use: access})
 * @param introspectionEndpoint empty to use discovery's {@code introspection_endpoint}
 * @param introspectionRefusalCacheTtl how long a refused opaque token is refused without asking
 * @param introspectionMaxConcurrent the most introspection calls at once; also the size of their
 *     own connection pool
 */
public record TokenSettings(
    List<String> audience,
    ClaimPath audienceClaim,
    Set<JWSAlgorithm> allowedAlgorithms,
    Set<JOSEObjectType> accessTokenTypes,
    Map<String, String> accessTokenClaims,
    Duration clockSkew,
    int maxTokenLength,
    Optional<URI> introspectionEndpoint,
    Duration introspectionCacheTtl,
    Duration introspectionRefusalCacheTtl,
    int introspectionMaxConcurrent,
    int tokenCacheSize) {
  public static final OidcSetting<List<String>> AUDIENCE =
      OidcSetting.define(
          "audience",
          null,
          "Audiences an access token may carry instead of the client id (comma-separated)."
              + " Default: the client id.",
          SettingParsers::list);
  public static final OidcSetting<Set<JWSAlgorithm>> ALLOWED_ALGORITHMS =
      OidcSetting.define(
          "allowedAlgorithms",
          "RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA",
          "JWS algorithms accepted for signed tokens. `none` and HMAC (`HS*`) are never accepted.",
          SettingTypes::algorithms);
  public static final OidcSetting<Set<JOSEObjectType>> ACCESS_TOKEN_TYPES =
      OidcSetting.define(
          "accessTokenTypes",
          null,
          "When set, the JWT header `typ` an access token must carry, e.g. `at+jwt` (RFC 9068).",
          SettingTypes::types);
  public static final OidcSetting<Duration> CLOCK_SKEW =
      OidcSetting.define(
          "clockSkew", "60s", "Leeway for `exp`, `nbf` and `iat`.", SettingParsers::duration);
  public static final OidcSetting<Integer> MAX_TOKEN_LENGTH =
      OidcSetting.define(
          "maxTokenLength",
          "16384",
          "Longer bearer tokens are refused with 401 before any parsing.",
          SettingParsers::positiveInt);
  public static final OidcSetting<URI> INTROSPECTION_ENDPOINT =
      OidcSetting.define(
          "introspectionEndpoint",
          null,
          "The RFC 7662 introspection endpoint for opaque tokens. Default:"
              + " `introspection_endpoint` from discovery.",
          SettingParsers::httpUri);
  public static final OidcSetting<Duration> INTROSPECTION_CACHE_TTL =
      OidcSetting.define(
          "introspectionCacheTtl",
          "5m",
          "The longest an introspection result is reused; never longer than the token lives.",
          SettingParsers::duration);
  public static final OidcSetting<Duration> INTROSPECTION_REFUSAL_CACHE_TTL =
      OidcSetting.define(
          "introspectionRefusalCacheTtl",
          "10s",
          "How long an opaque token the provider refused (inactive, or failing a check) is refused"
              + " again without asking; remembered by its SHA-256 only. `0s` to ask every time.",
          SettingParsers::duration);
  public static final OidcSetting<Integer> INTROSPECTION_MAX_CONCURRENT =
      OidcSetting.define(
          "introspectionMaxConcurrent",
          "10",
          "The most introspection calls in flight at once, on their own connections; beyond it a"
              + " request with a token to introspect gets 503 with `Retry-After: 1`.",
          SettingParsers::positiveInt);
  public static final OidcSetting<Integer> TOKEN_CACHE_SIZE =
      OidcSetting.define(
          "tokenCacheSize",
          "10000",
          "How many verified tokens are remembered, so a repeated token costs a lookup, not a"
              + " signature check.",
          SettingParsers::positiveInt);

  /** The asymmetric JWS algorithms a token may be signed with; HMAC and {@code none} never are. */
  public static final Set<JWSAlgorithm> ASYMMETRIC_ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);

  public TokenSettings {
    audience = List.copyOf(audience);
    Objects.requireNonNull(audienceClaim);
    for (JWSAlgorithm alg : allowedAlgorithms) {
      if (!ASYMMETRIC_ALGORITHMS.contains(alg)) {
        throw new OidcConfigException(ALLOWED_ALGORITHMS.key(), "unsupported algorithm " + alg);
      }
    }
    allowedAlgorithms = Set.copyOf(allowedAlgorithms);
    accessTokenTypes = Set.copyOf(accessTokenTypes);
    accessTokenClaims = Map.copyOf(accessTokenClaims);
    Objects.requireNonNull(clockSkew);
    Objects.requireNonNull(introspectionEndpoint);
    Objects.requireNonNull(introspectionCacheTtl);
    Objects.requireNonNull(introspectionRefusalCacheTtl);
  }

  static TokenSettings from(SettingValues v, Optional<String> clientId, ProviderProfile profile) {
    List<String> audience = v.optional(AUDIENCE).orElse(List.of());
    if (audience.isEmpty() && clientId.isPresent()) {
      audience = List.of(clientId.get());
    }
    if (audience.isEmpty()) {
      throw new OidcConfigException(
          ClientSettings.CLIENT_ID.key(),
          "is required (or set audience) so that tokens meant for other clients are refused");
    }
    return new TokenSettings(
        audience,
        v.get(AccessSettings.AUDIENCE_CLAIM),
        v.get(ALLOWED_ALGORITHMS),
        v.optional(ACCESS_TOKEN_TYPES).orElse(Set.of()),
        profile.accessTokenClaims(),
        v.get(CLOCK_SKEW),
        v.get(MAX_TOKEN_LENGTH),
        v.optional(INTROSPECTION_ENDPOINT),
        v.get(INTROSPECTION_CACHE_TTL),
        v.get(INTROSPECTION_REFUSAL_CACHE_TTL),
        v.get(INTROSPECTION_MAX_CONCURRENT),
        v.get(TOKEN_CACHE_SIZE));
  }
}
